"""normalize_text and its helpers: docs/INTERFACE.md §4 rules 2-5, by example and by property."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from tests.helpers import paragraphs_of_text
from transform.normalize import (
    is_ideograph,
    join_padded_names,
    normalize_attendance,
    normalize_issuing_line,
    normalize_text,
)


def test_no_space_between_cjk_and_digits_or_between_cjk() -> None:
    assert normalize_text("2020 年 8 月 10 日上午") == "2020年8月10日上午"
    assert normalize_text("第 107\n次常务会议") == "第107次常务会议"
    assert normalize_text("会 议\u3000纪 要") == "会议纪要"


def test_one_space_between_latin_words() -> None:
    assert normalize_text("Prefect   and\tDuckDB  表") == "Prefect and DuckDB表"
    assert normalize_text("  version 2.0  ") == "version 2.0"


def test_full_width_digits_and_letters_become_ascii() -> None:
    assert normalize_text("２０２０年ＡＢＣ号ｘ") == "2020年ABC号x"


def test_ascii_punctuation_next_to_cjk_becomes_full_width() -> None:
    assert normalize_text("(一)原则同意") == normalize_text("（一）原则同意") == "（一）原则同意"
    assert normalize_text("规划(2020～2030年)") == "规划（2020～2030年）"
    assert normalize_text("出席:李亚平;记录,栗涛") == "出席：李亚平；记录，栗涛"
    # Not next to CJK: stays ASCII.
    assert normalize_text("f(x), g(y)") == "f(x), g(y)"


def test_cjk_punctuation_stays() -> None:
    text = "，。：；、（）《》“”～〔〕"
    assert normalize_text(text) == text


def test_attendance_entries_one_space_padded_names_joined() -> None:
    padded = "出席：李亚平  王  翔  洪宗明  江\u3000海 "
    assert normalize_attendance(padded) == "出席：李亚平 王翔 洪宗明 江海"
    assert normalize_attendance("列 席:王　翔  市检察院王勇") == "列席：王翔 市检察院王勇"
    assert join_padded_names(["王", "翔", "周", "伟", "吴维群"]) == ["王翔", "周伟", "吴维群"]


def test_issuing_line_office_space_date() -> None:
    line = "苏州市人民政府办公室                   2020年 9月 1日印发  "
    assert normalize_issuing_line(line) == "苏州市人民政府办公室 2020年9月1日印发"
    assert normalize_issuing_line("由市农业农村局按程序印发。") == "由市农业农村局按程序印发。"


# --- properties ---------------------------------------------------------------------------------

_ideographs = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
_any_text = st.text(
    alphabet=st.one_of(
        _ideographs,
        st.sampled_from(list("，。：；、（）《》“”～〔〕　０１９ＡｚAbc019 ()::;,,.-\n\t")),
        st.characters(codec="utf-8"),
    ),
    max_size=60,
)


@given(_any_text)
def test_idempotent(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once


@given(_any_text)
def test_never_drops_or_reorders_a_cjk_character(text: str) -> None:
    assert [c for c in normalize_text(text) if is_ideograph(c)] == [c for c in text if is_ideograph(c)]


_cjk_punctuation = st.sampled_from(list("，。：；、（）《》“”～〔〕"))
_cjk_run = st.text(alphabet=st.one_of(_ideographs, _cjk_punctuation), min_size=1)
_latin_word = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9.\-]{0,6}", fullmatch=True)


@st.composite
def _normal_text(draw: st.DrawFn) -> str:
    """Text already in normal form: CJK runs and Latin words, one space only between two words."""
    pieces = draw(st.lists(st.one_of(_cjk_run, _latin_word), min_size=1, max_size=8))
    text = pieces[0]
    for previous, piece in itertools.pairwise(pieces):
        latin_pair = previous[-1].isascii() and piece[0].isascii()
        text += (" " if latin_pair else "") + piece
    return text


@given(_normal_text())
def test_leaves_normal_text_unchanged(text: str) -> None:
    assert normalize_text(text) == text


_page_text = st.lists(
    st.tuples(st.sampled_from(["", " "]), _any_text, st.sampled_from(["", " ", "  "])),
    max_size=12,
).map(lambda lines: "\n\n".join(lead + body + tail for lead, body, tail in lines))


@given(_page_text)
def test_paragraph_assembly_keeps_every_cjk_character_in_order(text: str) -> None:
    """Whatever the line shapes, paragraphs only regroup and normalize: no ideograph is lost."""
    joined = "".join(p.text for p in paragraphs_of_text(text))
    assert [c for c in joined if is_ideograph(c)] == [c for c in text if is_ideograph(c)]
