// title: One measure in full
// description: A measure with its exact source clause, the headings it stands under (outermost first), its document, every agency named with its role in the order written, its quantitative targets and the industries it concerns.
// param: id: str — the measure id (document id ~ numbering path)
// returns: id, ref, text, section_path, sections, deadline, deadline_date, span_start, span_end, line, doc_id, document, doc_number, agencies, targets, industries
// mode: read
MATCH (d:Document)-[:INCLUDES]->(m:Measure)
WHERE m.id = $id
OPTIONAL MATCH (s:Section)
WHERE s.doc_id = m.doc_id AND (m.section_path = s.path OR m.section_path STARTS WITH (s.path + '/'))
WITH d, m, s ORDER BY s.level, s.path SKIP 0
WITH d, m, collect(CASE WHEN s IS NULL THEN NULL ELSE {path: s.path, heading: s.heading, level: s.level} END) AS sections
OPTIONAL MATCH (a:Agency)-[r:ASSIGNED]->(m)
WITH d, m, sections, a, r ORDER BY r.position, r.role, a.id SKIP 0
WITH d, m, sections,
     collect(CASE WHEN a IS NULL THEN NULL
                  ELSE {name: a.name, role: r.role, as_written: r.as_written, position: r.position} END) AS agencies
OPTIONAL MATCH (m)-[:SETS_TARGET]->(t:Target)
WITH d, m, sections, agencies, t ORDER BY t.id SKIP 0
WITH d, m, sections, agencies,
     collect(CASE WHEN t IS NULL THEN NULL
                  ELSE {id: t.id, metric: t.metric, value: t.value, value_number: t.value_number, unit: t.unit,
                        qualifier: t.qualifier, year: t.year, per_year: t.per_year, modality: t.modality,
                        text: t.text, value_normalised: t.value_normalised, base_unit: t.base_unit,
                        minimum: t.minimum, maximum: t.maximum, horizon: t.horizon,
                        derived_year: t.derived_year} END) AS targets
OPTIONAL MATCH (m)-[:CONCERNS]->(i:Industry)
WITH d, m, sections, agencies, targets, i ORDER BY i.name SKIP 0
WITH d, m, sections, agencies, targets, collect(i.name) AS industries
RETURN m.id AS id, m.ref AS ref, m.text AS text, m.section_path AS section_path, sections,
       m.deadline AS deadline, m.deadline_date AS deadline_date, m.span_start AS span_start, m.span_end AS span_end,
       m.line AS line, d.id AS doc_id, d.title AS document, d.doc_number AS doc_number, agencies, targets, industries
