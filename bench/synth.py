"""A seeded synthetic corpus in the formats of real task-decomposition documents (分工方案).

Each document is real text the parser reads like any other: a title, a 文号, a numbered
outline (一、/（一）/1.) and about ``measures`` numbered items, each ending in one of the
responsibility clause formats of the real corpus:

* ``（A、B负责）`` in the first part, before any lead rule — jointly responsible, no lead;
* ``（责任单位：A、B，列第一位者为牵头单位，以下同）`` — the second part's first item, stating the
  lead rule, then ``（责任单位：A、B）`` under that rule (lead A, support B);
* labelled lines after the item: ``牵头单位：A`` / ``配合单位：B、C``;
* a table variant: ``序号 | 工作任务 | 牵头单位 | 配合单位 | 完成时限`` rows.

Targets such as ``力争到2020年，新增X 25家`` are planted in some items. Agencies are drawn from
the packaged registry. The same seed always gives the same bytes, and :class:`PlannedDocument`
records what was planted (measure count, each measure's lead or joint units), so a test can
check the parser against the plan rather than against itself.

>>> docs = generate_corpus(2, measures=12, seed=7)
>>> [d.measure_count for d in docs], docs[0].text == generate_corpus(2, measures=12, seed=7)[0].text
([12, 12], True)
>>> docs[0].doc_number
'浙合成〔2020〕1号'
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from policykg.loaders.registry import AgencyRegistry

STYLES = ("rule", "joint", "labelled", "table")
_VERBS = ("加快推进", "深入实施", "积极培育", "全面提升", "大力发展", "着力构建", "持续优化", "健全完善")
_OBJECTS = (
    "产业创新服务综合体建设",
    "传统制造业智能化改造",
    "企业技术中心培育工作",
    "绿色制造体系",
    "中小企业公共服务平台",
    "工业互联网平台应用",
    "质量品牌提升行动",
    "重点企业研究院建设",
    "标准化战略",
    "人才培养和引进机制",
)
_TAILS = (
    "推动关键领域技术装备达到国内先进水平",
    "形成一批可复制可推广的经验做法",
    "切实提高资源配置效率",
    "营造良好的发展环境",
    "促进产业链上下游融合发展",
)
_TARGET_NOUNS = (("省级企业技术中心", "家"), ("示范项目", "个"), ("工业机器人", "台"), ("特色小镇", "个"))
_SECTION_TITLES = ("主要任务", "重点工作", "保障措施", "组织实施")
_SUBSECTION_TITLES = ("推进技术创新", "实施改造提升", "强化要素保障", "优化发展环境", "加强统筹协调")
_CN_NUMBERS = "一二三四五六七八九十"


@dataclass(slots=True)
class PlannedMeasure:
    """What one generated item says: its leads (empty for joint items) and every unit named."""

    leads: tuple[str, ...]
    units: tuple[str, ...]
    style: str
    has_target: bool


@dataclass(slots=True)
class PlannedDocument:
    """A generated document's text and what was planted in it."""

    title: str
    doc_number: str
    text: str
    measures: list[PlannedMeasure] = field(default_factory=list)

    @property
    def measure_count(self) -> int:
        return len(self.measures)

    def write(self, directory: Path, index: int) -> Path:
        path = directory / f"synth-{index:05d}.txt"
        path.write_text(self.text, encoding="utf-8")
        return path


def default_agency_names() -> list[str]:
    """Provincial government departments of the packaged registry, by canonical name.

    They are the units a provincial 分工方案 names; sorted so a seed picks the same ones everywhere.
    """
    agencies = AgencyRegistry.load_default().agencies()
    return sorted(a.name for a in agencies if a.level == "province" and a.kind == "government_department")


def generate_corpus(
    count: int, *, measures: int = 60, seed: int = 0, agencies: Sequence[str] | None = None
) -> list[PlannedDocument]:
    """``count`` documents of ``measures`` items each, deterministic for a given seed."""
    names = list(agencies) if agencies is not None else default_agency_names()
    return [generate_document(index + 1, measures=measures, seed=seed, agencies=names) for index in range(count)]


def generate_document(
    number: int, *, measures: int = 60, seed: int = 0, agencies: Sequence[str] | None = None
) -> PlannedDocument:
    """Document ``number`` of the corpus ``seed``: a numbered outline, then (every fourth document) a table annex."""
    names = list(agencies) if agencies is not None else default_agency_names()
    rng = random.Random(f"{seed}:{number}")
    title = f"浙江省合成测试第{number}号行动计划任务分工方案"
    doc_number = f"浙合成〔2020〕{number}号"
    lines = [title, doc_number, "", "各设区市人民政府，省级有关单位：", "现将任务分工方案印发给你们，请认真落实。", ""]
    planned: list[PlannedMeasure] = []
    use_table = number % 4 == 0
    if use_table:
        lines += ["附件", "", "重点任务分工表", "", "序号 | 工作任务 | 牵头单位 | 配合单位 | 完成时限"]
        for index in range(measures):
            measure, text = _item_text(rng, names, with_target=rng.random() < 0.3)
            lead, support = measure[0], measure[1:]
            lines.append(f"{index + 1} | {text} | {lead} | {'、'.join(support)} | {2018 + rng.randrange(3)}年底前")
            planned.append(PlannedMeasure((lead,), tuple(measure), "table", "力争" in text))
    else:
        parts = _split(measures, 3)
        for part, (style, size) in enumerate(zip(("joint", "rule", "labelled"), parts, strict=True)):
            lines += ["", f"{_CN_NUMBERS[part]}、{_SECTION_TITLES[part]}", ""]
            subsections = _split(size, 2)
            item_in_part = 0
            for sub, sub_size in enumerate(subsections):
                lines.append(f"（{_CN_NUMBERS[sub]}）{_SUBSECTION_TITLES[(part + sub) % len(_SUBSECTION_TITLES)]}。")
                lines.append("")
                for item in range(sub_size):
                    units, text = _item_text(rng, names, with_target=rng.random() < 0.3)
                    body = f"{item + 1}.{text}"
                    if style == "rule":
                        rule = "，列第一位者为牵头单位，以下同" if item_in_part == 0 else ""
                        lines.append(f"{body}（责任单位：{'、'.join(units)}{rule}）")
                        planned.append(PlannedMeasure((units[0],), tuple(units), style, "力争" in text))
                    elif style == "joint":
                        lines.append(f"{body}（{'、'.join(units)}负责）")
                        planned.append(PlannedMeasure((), tuple(units), style, "力争" in text))
                    else:
                        lines.append(body)
                        lines.append(f"牵头单位：{units[0]}")
                        if len(units) > 1:
                            lines.append(f"配合单位：{'、'.join(units[1:])}")
                        planned.append(PlannedMeasure((units[0],), tuple(units), style, "力争" in text))
                    lines.append("")
                    item_in_part += 1
    lines += ["", "浙江省合成测试领导小组办公室", f"2020年{1 + number % 12}月{1 + number % 28}日", ""]
    return PlannedDocument(title, doc_number, "\n".join(lines), planned)


def _item_text(rng: random.Random, names: Sequence[str], *, with_target: bool) -> tuple[list[str], str]:
    units = rng.sample(list(names), k=1 + rng.randrange(3))
    text = f"{rng.choice(_VERBS)}{rng.choice(_OBJECTS)}，{rng.choice(_TAILS)}。"
    if with_target:
        noun, unit = rng.choice(_TARGET_NOUNS)
        text += f"力争到{2019 + rng.randrange(3)}年，新增{noun}{5 + rng.randrange(200)}{unit}。"
    return units, text


def _split(total: int, parts: int) -> list[int]:
    """``total`` items over ``parts`` groups as evenly as possible, larger groups first.

    >>> _split(10, 3)
    [4, 3, 3]
    """
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description="Write a synthetic corpus of .txt documents.")
    parser.add_argument("out", type=Path)
    parser.add_argument("--documents", type=int, default=10)
    parser.add_argument("--measures", type=int, default=60)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for index, doc in enumerate(generate_corpus(args.documents, measures=args.measures, seed=args.seed)):
        doc.write(args.out, index)
    print(f"wrote {args.documents} documents to {args.out}")


if __name__ == "__main__":
    main()
