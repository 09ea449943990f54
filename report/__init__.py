"""Presenting the warehouse: `minutes report` (a static site) and `minutes export` (files).

Above load: reads the warehouse only through load's read-only query helpers; SQL in warehouse/.
"""
