"""A small hand-built graph for the query and API tests, written through the store protocol.

Two documents (a provincial 分解方案 and a State Council opinion) share agencies; the
counts the tests expect were worked out by hand from the table in :data:`MEASURES`, not by
running the queries.

Zhejiang document ``doc-zj`` (2017), sections 三, 三/(一), 三/(二), 四:

=========  ========  ====================================================  ====================  ==========
ref        section   agencies (role)                                       targets               industries
=========  ========  ====================================================  ====================  ==========
三/(一)/1  三/(一)   省科技厅 lead, 省经信委 support                        综合体 20 家 (2020)   纺织
三/(一)/2  三/(一)   省科技厅 lead, 省经信委 support                        —                     —
三/(二)/1  三/(二)   省经信委 lead                                          技改项目 100 个 (2020) 机械
三/(二)/2  三/(二)   省经信委 lead                                          机器人 20000 台 …     机械, 纺织
三/(二)/3  三/(二)   省经信委 lead, 省发展改革委 support, 省环保厅 support    —                     化工
四/1       四        各市县政府 joint, 省经信委 joint                        —                     —
=========  ========  ====================================================  ====================  ==========

State Council document ``doc-gf`` (2019): 三/(一)/1 海关总署 lead + 商务部 support (target 1 without
unit or year); 三/(二)/1 商务部 lead + 省发展改革委, 海关总署 support (化工); 四/1 nobody.
三/(二)/2 has two targets (机器人 20000 台, 服务公司 25 家, 2020).
``doc-zj`` implements ``doc-up`` (浙政发〔2017〕23号), which is not loaded. 省环保厅 (alias 省环保局)
was succeeded by 省生态环境厅; 省经信委 and 省科技厅 are members of 领导小组; 省统计局 has no task.
"""

from __future__ import annotations

from typing import Any

from policykg.graph.store import DocumentRows, GraphRows, GraphStore
from policykg.ingest import assignment_sort_key, measure_sort_key
from policykg.queries import writes

ZJ, GF, UP = "doc-zj", "doc-gf", "doc-up"

AGENCIES: list[dict[str, Any]] = [
    {
        "id": "省经信委",
        "name": "省经信委",
        "full_name": "浙江省经济和信息化委员会",
        "level": "province",
        "kind": "department",
        "aliases": ["浙江省经信委"],
        "resolved": True,
    },
    {
        "id": "省科技厅",
        "name": "省科技厅",
        "full_name": "浙江省科学技术厅",
        "level": "province",
        "kind": "department",
        "aliases": [],
        "resolved": True,
    },
    {
        "id": "省环保厅",
        "name": "省环保厅",
        "full_name": "浙江省环境保护厅",
        "level": "province",
        "kind": "department",
        "aliases": ["省环保局"],
        "resolved": True,
    },
    {
        "id": "省生态环境厅",
        "name": "省生态环境厅",
        "level": "province",
        "kind": "department",
        "aliases": [],
        "resolved": True,
    },
    {"id": "省发展改革委", "name": "省发展改革委", "level": "province", "aliases": ["省发改委"], "resolved": True},
    {"id": "海关总署", "name": "海关总署", "level": "central", "aliases": [], "resolved": True},
    {"id": "商务部", "name": "商务部", "level": "central", "aliases": [], "resolved": True},
    {"id": "各市县政府", "name": "各市县政府", "aliases": [], "resolved": False},
    {"id": "省统计局", "name": "省统计局", "level": "province", "aliases": [], "resolved": True},
    {"id": "领导小组", "name": "领导小组", "level": "province", "kind": "group", "aliases": [], "resolved": True},
]

INDUSTRIES = [("纺织", "17"), ("机械", "34"), ("化工", "26"), ("钢铁", "31")]

# (doc, ref, section, [(agency, role)], [(metric, value, unit, year)], [industries])
MEASURES: list[
    tuple[str, str, str, list[tuple[str, str]], list[tuple[str, str, str | None, int | None]], list[str]]
] = [
    (
        ZJ,
        "三/(一)/1",
        "三/(一)",
        [("省科技厅", "lead"), ("省经信委", "support")],
        [("综合体", "20", "家", 2020)],
        ["纺织"],
    ),
    (ZJ, "三/(一)/2", "三/(一)", [("省科技厅", "lead"), ("省经信委", "support")], [], []),
    (ZJ, "三/(二)/1", "三/(二)", [("省经信委", "lead")], [("技改项目", "100", "个", 2020)], ["机械"]),
    (
        ZJ,
        "三/(二)/2",
        "三/(二)",
        [("省经信委", "lead")],
        [("机器人", "20000", "台", 2020), ("服务公司", "25", "家", 2020)],
        ["机械", "纺织"],
    ),
    (
        ZJ,
        "三/(二)/3",
        "三/(二)",
        [("省经信委", "lead"), ("省发展改革委", "support"), ("省环保厅", "support")],
        [],
        ["化工"],
    ),
    (ZJ, "四/1", "四", [("各市县政府", "joint"), ("省经信委", "joint")], [], []),
    (GF, "三/(一)/1", "三/(一)", [("海关总署", "lead"), ("商务部", "support")], [("开放", "1", None, None)], []),
    (
        GF,
        "三/(二)/1",
        "三/(二)",
        [("商务部", "lead"), ("省发展改革委", "support"), ("海关总署", "support")],
        [],
        ["化工"],
    ),
    (GF, "四/1", "四", [], [], []),
]

DOCUMENTS: dict[str, dict[str, Any]] = {
    ZJ: {
        "id": ZJ,
        "title": "浙江省传统制造业责任分解方案",
        "doc_number": None,
        "issuer": "浙江省工业转型升级领导小组办公室",
        "date_written": "2017-07-03",
        "date_issued": "2017-07-10",
        "year": 2017,
        "loaded": True,
        "attachments": ["省级有关单位"],
    },
    GF: {
        "id": GF,
        "title": "国务院关于促进综合保税区高水平开放高质量发展的若干意见",
        "doc_number": "国发〔2019〕3号",
        "issuer": "国务院",
        "date_written": "2019-01-12",
        "date_issued": "2019-01-25",
        "year": 2019,
        "loaded": True,
        "attachments": [],
    },
}
STUB: dict[str, Any] = {
    "id": UP,
    "title": "浙江省全面改造提升传统制造业行动计划",
    "doc_number": "浙政发〔2017〕23号",
    "loaded": False,
}
SECTIONS = [
    ("三", "主要任务", 1),
    ("三/(一)", "大力推进企业技术创新", 2),
    ("三/(二)", "实施机器人+行动计划", 2),
    ("四", "保障措施", 1),
]


def measure_id(doc: str, ref: str) -> str:
    return f"{doc}~{ref.replace('(', '').replace(')', '').replace('/', '.')}"


def reference_rows() -> GraphRows:
    return GraphRows(
        nodes={
            "Agency": AGENCIES,
            "Industry": [{"id": n, "name": n, "code": c, "category": "制造业"} for n, c in INDUSTRIES],
        },
        rels={
            "MEMBER_OF": [{"from": "省经信委", "to": "领导小组"}, {"from": "省科技厅", "to": "领导小组"}],
            "SUCCEEDED_BY": [{"from": "省环保厅", "to": "省生态环境厅", "date": "2018-10-04"}],
        },
    )


def document_rows(doc: str) -> DocumentRows:
    owned = GraphRows(nodes={"Document": [DOCUMENTS[doc]], "Section": [], "Measure": [], "Target": []}, rels={})
    rels: dict[str, list[dict[str, Any]]] = {
        k: []
        for k in ("HAS_SECTION", "HAS_SUBSECTION", "HAS_MEASURE", "INCLUDES", "ASSIGNED", "SETS_TARGET", "CONCERNS")
    }
    for ordinal, (path, heading, level) in enumerate(SECTIONS):
        sid = f"{doc}~s~{path}"
        owned.nodes["Section"].append(
            {"id": sid, "doc_id": doc, "path": path, "heading": heading, "level": level, "ordinal": ordinal}
        )
        rels["HAS_SECTION"].append({"from": doc, "to": sid})
        if "/" in path:
            rels["HAS_SUBSECTION"].append({"from": f"{doc}~s~{path.rsplit('/', 1)[0]}", "to": sid})
    ordinal = 0
    for m_doc, ref, section, who, targets, industries in MEASURES:
        if m_doc != doc:
            continue
        mid = measure_id(doc, ref)
        owned.nodes["Measure"].append(
            {
                "id": mid,
                "doc_id": doc,
                "ref": ref,
                "text": f"{ref}:推进机器人应用与产业创新。",
                "section_path": section,
                "deadline": "2020年" if targets else None,
                "span_start": ordinal * 100,
                "span_end": ordinal * 100 + 50,
                "line": 20 + ordinal,
                "ordinal": ordinal,
                # The page order and copied document fields, as ingest writes them.
                "sort_key": measure_sort_key(doc, DOCUMENTS[doc]["date_issued"], ordinal),
                "doc_title": DOCUMENTS[doc]["title"],
                "doc_issued": DOCUMENTS[doc]["date_issued"],
                "doc_year": DOCUMENTS[doc]["year"],
            }
        )
        key = owned.nodes["Measure"][-1]["sort_key"]
        rels["INCLUDES"].append({"from": doc, "to": mid})
        rels["HAS_MEASURE"].append({"from": f"{doc}~s~{section}", "to": mid})
        for position, (agency, role) in enumerate(who):
            rels["ASSIGNED"].append(
                {
                    "from": agency,
                    "to": mid,
                    "role": role,
                    "as_written": agency,
                    "position": position,
                    "doc_id": doc,
                    "sort_key": assignment_sort_key(key, role),
                }
            )
        for index, (metric, value, unit, year) in enumerate(targets):
            tid = f"{mid}~t{index}"
            owned.nodes["Target"].append(
                {
                    "id": tid,
                    "doc_id": doc,
                    "metric": metric,
                    "value": value,
                    "value_number": float(value),
                    "unit": unit,
                    "qualifier": None,
                    "year": year,
                    "per_year": False,
                    "modality": "力争",
                    "text": f"{metric}{value}{unit or ''}",
                    "value_normalised": float(value),  # no magnitude prefix in these units
                    "base_unit": unit,
                }
            )
            rels["SETS_TARGET"].append({"from": mid, "to": tid})
        for industry in industries:
            rels["CONCERNS"].append({"from": mid, "to": industry, "doc_id": doc, "sort_key": key})
        ordinal += 1
    owned.rels = rels
    shared = GraphRows(nodes={"Agency": AGENCIES}, rels={})
    if doc == ZJ:
        shared.nodes["Document"] = [STUB]
        owned.rels["IMPLEMENTS"] = [{"from": ZJ, "to": UP}]
    return DocumentRows(doc_id=doc, owned=owned, shared=shared)


def load_querygraph(store: GraphStore) -> None:
    """Write the hand-built graph into an empty store."""
    writes.upsert_reference(store, reference_rows())
    writes.write_document(store, document_rows(ZJ))
    writes.write_document(store, document_rows(GF))
