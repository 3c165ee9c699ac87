"""Properties of parse_text over generated documents: no crash, spans and lines that hold."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from policykg.errors import InputError
from policykg.loaders import parse_text

PIECES = [
    "一、", "二、", "（一）", "(二)", "1.", "2．", "（1）", "①", "\n", "\n", "\n", "。", "，", "、", ",", "；",
    "（", "）", "(", ")", "【", "】", " | ", "省经信委", "商务部", "各市、县(市、区)政府", "负责", "牵头", "配合",
    "会同", "等", "等和各省级人民政府", "责任单位：", "牵头单位:", "配合单位：", "适用范围：", "列第一位者为牵头单位",
    "下同", "序号 | 任务 | 牵头单位 | 配合单位 | 完成时限", "附件", "2019年底", "到2020年新增100家", "推进改造",
]  # fmt: skip
document = st.lists(st.sampled_from(PIECES), max_size=80).map("".join)


@settings(max_examples=150, deadline=None)
@given(document)
def test_any_mix_of_real_pieces_parses_or_is_an_input_error(text: str) -> None:
    try:
        doc = parse_text(text, source="fuzz.txt")
    except InputError:
        return
    lines = doc.text.split("\n")
    for m in doc.measures:
        start, end = m.span
        assert 0 <= start <= end <= len(doc.text)
        assert doc.text[start:end] == m.text
        assert 1 <= m.line <= len(lines)
        assert all(a.as_written.strip() for a in m.assignments)
        assert [a.position for a in m.assignments] == list(range(len(m.assignments)))
        assert len(m.lead) + len(m.support) + len(m.joint) == len(m.assignments)
    assert len({m.ref for m in doc.measures}) == len(doc.measures)
