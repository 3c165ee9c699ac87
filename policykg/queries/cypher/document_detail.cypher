// title: One document
// description: A document's metadata with its counts of sections, measures, targets and agencies named, and the documents it implements or that implement it.
// param: id: str — the document id
// returns: id, title, doc_number, issuer, jurisdiction, date_written, date_issued, date_published, year, source, attachments, loaded, sections, measures, targets, agencies, implements, implemented_by
// mode: read
MATCH (d:Document)
WHERE d.id = $id
OPTIONAL MATCH (d)-[:IMPLEMENTS]->(up:Document)
WITH d, up ORDER BY up.id SKIP 0
WITH d, collect(CASE WHEN up IS NULL THEN NULL ELSE {id: up.id, title: up.title, doc_number: up.doc_number} END) AS implements
OPTIONAL MATCH (down:Document)-[:IMPLEMENTS]->(d)
WITH d, implements, down ORDER BY down.id SKIP 0
WITH d, implements,
     collect(CASE WHEN down IS NULL THEN NULL ELSE {id: down.id, title: down.title, doc_number: down.doc_number} END)
       AS implemented_by
OPTIONAL MATCH (d)-[:INCLUDES]->(m:Measure)<-[:ASSIGNED]-(a:Agency)
WITH d, implements, implemented_by, count(DISTINCT a.id) AS agencies
RETURN d.id AS id, d.title AS title, d.doc_number AS doc_number, d.issuer AS issuer, d.jurisdiction AS jurisdiction,
       d.date_written AS date_written,
       d.date_issued AS date_issued, d.date_published AS date_published, d.year AS year, d.source AS source,
       coalesce(d.attachments, []) AS attachments, d.loaded AS loaded,
       COUNT { MATCH (d)-[:HAS_SECTION]->(:Section) } AS sections,
       COUNT { MATCH (d)-[:INCLUDES]->(:Measure) } AS measures,
       COUNT { MATCH (d)-[:INCLUDES]->(:Measure)-[:SETS_TARGET]->(:Target) } AS targets,
       agencies, implements, implemented_by
