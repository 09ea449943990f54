"""The grammar of 常务会议纪要 (GB/T 9704 minutes): normalized paragraphs -> MinutesRecord."""

from transform.grammar.parse import parse_minutes

__all__ = ["parse_minutes"]
