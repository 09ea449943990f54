"""Words both normalization and the grammar read by, defined once so the two never disagree.

Normalization uses them to decide where an attendance entry ends at a line break; the grammar
uses the same words to split each entry into organization and person. Everything else the
grammar matches against stays in `transform.grammar.vocabulary`.
"""

from __future__ import annotations

# Attendance blocks (docs/INTERFACE.md §4: one paragraph each, `出席：A B C`).
ATTENDANCE_ROLES = ("出席", "列席", "请假")

# Suffixes of agency names: where an `organization+person` entry's organization ends
# (市检察院王勇, 区委办张三, 某某中学校李四). Longer suffixes first, for readability only.
AGENCY_SUFFIXES = (
    "管委会", "工委", "专班", "分局", "支队", "大队", "海关", "中支", "公司", "集团", "银行", "中心",
    "街道", "办事处", "调查队", "委员会",
    "局", "委", "办", "院", "部", "室", "队", "区", "市", "县", "厅", "署", "会", "所", "站", "处",
    "科", "组", "团", "行", "社", "台", "馆", "镇", "乡", "府", "省", "州", "旗", "盟", "庭", "关",
    "支", "班", "司", "校",
)
