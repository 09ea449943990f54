"""Every word list the grammar matches against, in one place (the attendance roles and agency
suffixes, which normalization reads by too, are in `transform.vocabulary`).

Generic across places on purpose: no agency, city or person names, only the genre's
own words (GB/T 9704 常务会议纪要), so minutes of any city, district or county parse.
"""

from __future__ import annotations

# docs/INTERFACE.md §5: the fixed `kind` vocabulary of an agenda item.
ITEM_KINDS = ("审议废止", "审议", "听取", "传达学习", "学习贯彻", "布置", "研究", "学法", "其他")
FALLBACK_KIND = "其他"

# Heading verb phrase -> kind. Why synonyms: minutes vary the verb (部署/布置), the table should not.
KIND_VERBS: dict[str, str] = {
    "审议废止": "审议废止",
    "审议": "审议",
    "审定": "审议",
    "听取": "听取",
    "传达学习": "传达学习",
    "传达": "传达学习",
    "学习贯彻": "学习贯彻",
    "学习": "学习贯彻",
    "布置": "布置",
    "部署": "布置",
    "研究": "研究",
    "讨论": "研究",
    "会前学法": "学法",
    "学法": "学法",
    "其他": "其他",
    "其它": "其他",
}
# Words a heading may open with before its verb ("会议听取…"); why: the verb is what classifies.
HEADING_LEAD_INS = ("会议", "会上")
# A heading opening with this names its subject first and carries the verb later (…整改布置).
SUBJECT_FIRST_MARKER = "关于"

# Kinds whose 《…》 documents are reviewed_documents rows.
REVIEW_ACTIONS = ("审议废止", "审议")

# Decision phrases of a reviewed document, longest first so 原则同意 wins over 同意.
# The outcome is the last of these before the document in its sentence, so 原则同意废止《X》
# is 原则同意 and 原则同意《A》《B》和《C》 governs all three.
OUTCOMES = ("原则上同意", "原则同意", "原则通过", "原则批准", "不同意", "同意", "通过", "批准",
            "暂缓", "缓议")
# Words that charge an agency with the follow-up: 由市某某局根据…, 请市某某委会同…
# (提请/报请/申请/邀请 name no agency in charge).
LEAD_AGENCY_MARKERS = ("由", "(?<![提报申邀])请")
# Words that end a "由<agency>…" phrase: the agency is what comes before them.
LEAD_AGENCY_STOPS = ("根据", "依据", "按照", "结合", "会同", "牵头", "负责", "进一步", "抓紧", "认真",
                     "按程序", "修改", "提请", "报请", "作", "做", "对", "向", "于")

# The meeting chair. Office words; ranks and acting prefixes combine with them (常务副市长, 代区长).
CHAIR_OFFICES = ("省长", "市长", "区长", "县长", "州长", "旗长", "盟长", "镇长", "乡长", "主任")
CHAIR_RANKS = ("常务副", "副")
CHAIR_ACTING = ("代理", "代")
# Posts printed before the office (市委副书记、市长X); why: chair_title is the office alone.
PARTY_POST_MARKERS = ("书记", "常委", "党组")
HONORIFIC = "同志"
DAY_PERIODS = ("上午", "下午")
MEETING_WORD = "常务会议"
# Closing lines of the items that belong to no item (会议还研究了其他事项。).
CLOSING_REMARKS = ("会议还研究了其他事项", "会议还研究了其他有关事项", "会议还研究了其他工作")

# Lines ending the opening and starting the items. Compared without trailing punctuation.
TRANSITIONS = (
    "会议议定以下意见",
    "会议议定如下意见",
    "会议议定如下",
    "会议议定事项如下",
    "会议研究了以下事项",
    "会议研究议定了以下事项",
    "会议纪要如下",
    "纪要如下",
    "现将会议讨论研究的有关事项纪要如下",
    "现将会议议定事项纪要如下",
    "现将会议主要精神纪要如下",
)

# Attendance entry endings meaning "a representative of these organizations", not a named person.
DELEGATION_ENDINGS = ("有关负责同志", "负责同志", "的代表", "代表")

# Characters that end agency names but never start or end a person's name; why: they decide
# where an organization stops when both a 2- and a 3-character name would fit (区委办张三).
NOT_NAME_CHARS = frozenset("局委办院部室队市县厅署会所站处科组团府省州旗盟庭支心")

# Person names: 2–3 CJK characters, 4 with a compound surname.
COMPOUND_SURNAMES = (
    "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒",
    "夏侯", "轩辕", "令狐", "端木", "独孤", "南宫", "西门", "申屠", "澹台", "公冶", "太史", "闻人",
    "万俟", "呼延", "单于", "钟离", "宗政", "濮阳", "淳于", "赫连", "拓跋", "百里", "东郭", "第五",
)

# Colophon (版记) lines.
RECORDER_LABEL = "记录"
COMPILED_SUFFIX = "整理"
ISSUED_SUFFIX = "印发"
DISTRIBUTION_LABELS = ("分送", "抄送", "发送", "送")
DISCLOSURE_PREFIX = "此件"

# Chinese numerals for item/clause labels and session numbers.
CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
             "八": 8, "九": 9}
CN_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_NUMERAL_CHARS = "".join(CN_DIGITS) + "".join(CN_UNITS)
