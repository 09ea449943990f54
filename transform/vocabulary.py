"""The genre's words (GB/T 9704 常务会议纪要), defined once: normalization, paragraph assembly and
the grammar all read by these lists, so they never disagree on what a label, a transition or an
agency name is.

Generic across places on purpose: no agency, city or person names, only the genre's own words,
so minutes of any city, district or county parse.
"""

from __future__ import annotations

# Attendance blocks (one paragraph each, `出席：A B C`).
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

# The fixed `kind` vocabulary of an agenda item.
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
    # 会议议题：… / 列席情况：… / 会议议定事项： before the numbered items
    "会议议定事项",
    "会议议定",
    "会议决定事项",
    "会议研究议定事项如下",
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
# Recipients: 主送 (main recipients), 分送/抄送/发送 (copies), bare 送 in older layouts.
DISTRIBUTION_LABELS = ("分送", "抄送", "主送", "发送", "送")
ATTACHMENT_LABEL = "附件"
# Labels that open a colophon or attachment line: such a line always starts a paragraph.
COLOPHON_LABELS = (RECORDER_LABEL, *DISTRIBUTION_LABELS, ATTACHMENT_LABEL)
DISCLOSURE_PREFIX = "此件"

# Chinese numerals for item/clause labels and session numbers.
CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
             "八": 8, "九": 9}
CN_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_NUMERAL_CHARS = "".join(CN_DIGITS) + "".join(CN_UNITS)

# Dates as the minutes print them: `2024年5月6日` (extraction may leave spaces around digits).
CN_DATE = r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"
# The same, normalized (no spaces), with the parts captured: year, month, day.
CN_DATE_PARTS = r"(\d{4})年(\d{1,2})月(\d{1,2})日"


# --- issue 14: other places' house styles -------------------------------------------------------

# Words that say a meeting was held: an opening names its meeting with one of them (召开市政府第5次
# 常务会议, …常务会议在区政府召开, 主持…会议); a notice that merely cites a meeting (经市政府第5次常务
# 会议研究同意) has none, and is not minutes.
CONVENING_WORDS = ("主持", "召开", "举行")
# The weekday some openings print after the date: 3月5日（星期二）上午.
WEEKDAY_NOTE = r"[（(](?:星期|周)[一二三四五六日天][）)]"

# A header block instead of an opening sentence (时间：… 地点：… 主持人：… 出席：…). Label -> field.
HEADER_BLOCK_LABELS: dict[str, str] = {
    "会议时间": "time", "时间": "time",
    "会议地点": "place", "地点": "place",
    "主持人": "chair", "会议主持": "chair", "主持": "chair",
    "出席人员": "出席", "出席": "出席", "参会人员": "出席",
    "列席人员": "列席", "列席情况": "列席", "列席": "列席",
    "请假人员": "请假", "请假": "请假", "缺席": "请假",
    "记录人": "recorder", "记录": "recorder",
    "会议议题": "agenda", "议题": "agenda",
}
# Attendance labels in their longer forms, read as the role they name (列席情况： is 列席：).
ATTENDANCE_LABEL_FORMS: dict[str, str] = {
    label: role for label, role in HEADER_BLOCK_LABELS.items() if role in ("出席", "列席", "请假")}
# An agenda announced before the decisions: 会议议题：一、审议《…》；二、听取….
AGENDA_LIST_LABELS = ("会议议题", "议题")

# A decision printed under each item heading (一、审议《…》 / 会议议定：原则同意，…): it is the
# item's clause, labelled by these words instead of （一）.
DECISION_LEADS = ("会议议定", "会议决定", "议定事项", "会议意见")

# Items printed without numbers, one paragraph each (会议审议通过《…》。 / 会议听取了…的汇报。):
# what such a paragraph opens with after 会议 (还).
UNNUMBERED_ITEM_VERBS = ("审议", "审定", "听取", "研究", "传达", "学习", "部署", "布置", "讨论")

# Clauses run together in one paragraph: 一是…二是…, 一要…二要…, （1）…（2）….
INLINE_ENUMERATION_SUFFIXES = ("是", "要")

# A web page's header copied with the minutes (来源：…网站 日期：2023-05-06 10:20:30, 索引号：…):
# not the minutes' text. The header's labels besides the publication date's (those are in
# extract/publication_date.py, shared with the detail-page reader).
PAGE_HEADER_LABELS = ("来源", "信息来源", "文章来源", "发布机构", "发布单位", "索引号", "主题分类",
                      "作者", "浏览次数", "点击数", "阅读次数", "访问次数", "字号", "责任编辑")
