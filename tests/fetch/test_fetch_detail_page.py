"""parse_detail_page on hand-written pages in the shapes government CMSs use."""

from __future__ import annotations

from datetime import datetime

from extract.detail_page import parse_detail_page

URL = "https://www.example.gov.cn/szsrmzf/zfhy/202405/0123456789abcdef0123456789abcdef.shtml"

SUZHOU_LIKE = """<!DOCTYPE html><html><head><meta charset="utf-8">
<title>市政府第57次常务会议纪要_苏州市人民政府</title></head><body>
<div class="header"><h1>苏州市人民政府</h1><ul class="nav"><li><a href="/">首页</a></li></ul></div>
<div class="position">当前位置：首页 &gt; 政府会议</div>
<div class="article-header"><h2 class="title">市政府第57次常务会议纪要</h2>
<div class="info">时间: 2024-05-08 17:30 来源: 苏州市人民政府办公室</div></div>
<div class="num">常务会议纪要〔2024〕7号</div>
<div class="article-content"><div class="TRS_Editor">
<p>　　<a href="./P020240508123456789012.pdf">市政府第57次常务会议纪要.pdf</a></p>
<p><a href="https://elsewhere.example.com/copy.PDF">镜像</a></p>
</div></div>
<div class="footer"><p>主办：苏州市人民政府办公室</p></div></body></html>"""


def test_suzhou_like_page() -> None:
    page = parse_detail_page(SUZHOU_LIKE.encode(), URL)
    assert page.title == "市政府第57次常务会议纪要"
    assert page.minutes_no == "〔2024〕7号"
    assert page.published_at == datetime(2024, 5, 8, 17, 30)
    assert page.attachments == [
        "https://www.example.gov.cn/szsrmzf/zfhy/202405/P020240508123456789012.pdf",
        "https://elsewhere.example.com/copy.PDF",  # reported; the crawler decides not to follow it
    ]
    assert "主办：苏州市人民政府办公室" not in page.article_paragraphs


ARTICLE_ONLY_GBK = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<meta name="ArticleTitle" content="市政府第121次常务会议纪要"><meta name="PubDate" content="2021-09-27 17:12">
</head><body><div class="menu"><a href="/">首页</a> <a href="/zwgk/">政务公开</a></div>
<div id="zoom"><p>　　2021年9月16日上午，市长主持召开市政府第121次常务会议。</p>
<p>　　会议议定以下意见：</p><p>&nbsp;</p><p>一、学习贯彻<br/>省政府常务会议精神</p></div>
<div class="bottom">版权所有 © 示例市人民政府</div></body></html>"""


def test_article_text_and_meta_tags_in_a_gbk_page() -> None:
    page = parse_detail_page(ARTICLE_ONLY_GBK.encode("gb18030"))
    assert page.title == "市政府第121次常务会议纪要"
    assert page.published_at == datetime(2021, 9, 27, 17, 12)
    assert page.minutes_no is None
    assert page.attachments == []
    assert page.article_paragraphs == [
        "2021年9月16日上午，市长主持召开市政府第121次常务会议。",
        "会议议定以下意见：",
        "一、学习贯彻",
        "省政府常务会议精神",
    ]


TABLE_LAYOUT = """<html><body><table>
<tr><td class="nav"><a href="/">首页</a> | <a href="/x/">信息公开</a></td></tr>
<tr><td><b>区政府第3次常务会议纪要</b></td></tr>
<tr><td>发布时间：2023年3月5日 发文字号：（2023）12号</td></tr>
<tr><td id="body"><p>会议听取了全区安全生产工作情况汇报，研究部署下一阶段重点工作。</p>
<p>会议强调，要压实各方责任。</p></td></tr>
<tr><td class="copyright">网站标识码 123</td></tr></table></body></html>"""


def test_table_layout_falls_back_to_the_densest_block() -> None:
    page = parse_detail_page(TABLE_LAYOUT)
    assert page.title == "区政府第3次常务会议纪要"
    assert page.minutes_no == "〔2023〕12号"
    assert page.published_at == datetime(2023, 3, 5)
    assert page.article_paragraphs == ["会议听取了全区安全生产工作情况汇报，研究部署下一阶段重点工作。",
                                       "会议强调，要压实各方责任。"]


def test_bracket_styles_are_canonicalised() -> None:
    for printed in ("[2013]4号", "［2013］4号", "(2013)4号", "〔2013〕第4号", "【 2013 】 04 号"):
        assert parse_detail_page(f"<p>纪要{printed}</p>").minutes_no == "〔2013〕4号", printed


def test_a_date_in_the_site_header_is_not_the_publication_time() -> None:
    # Many government sites print today's date in their top bar; the article's own time line wins.
    page_with_top_bar = SUZHOU_LIKE.replace(
        '<div class="header">', '<div class="topbar">日期：2026-11-23 星期一</div><div class="header">')
    in_header = SUZHOU_LIKE.replace('<ul class="nav">', '<span>日期：2026-11-23</span><ul class="nav">')
    for html in (page_with_top_bar, in_header):
        assert parse_detail_page(html, URL).published_at == datetime(2024, 5, 8, 17, 30)
