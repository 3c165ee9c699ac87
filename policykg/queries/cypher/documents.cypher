// title: Documents
// description: Every loaded document (and, on request, the documents known only because another implements them) with its counts of measures and sections, oldest first. `date` is the first date known of issued (印发), written (成文) and published (公开).
// param: q: str = '' — text the title or 文号 must contain
// param: year: int(0..9999) = 0 — only documents of this year (0: any year)
// param: referenced: bool = false — also list documents known only as implemented by another
// param: limit: int(1..10000) = 100 — rows per page
// param: offset: int(0..) = 0 — rows to skip
// returns: id, title, doc_number, issuer, date, date_issued, date_written, date_published, year, loaded, measures, sections
// mode: read
MATCH (d:Document)
WHERE ($referenced OR coalesce(d.loaded, true))
  AND ($year = 0 OR d.year = $year)
  AND ($q = '' OR d.title CONTAINS $q OR coalesce(d.doc_number, '') CONTAINS $q)
WITH d ORDER BY coalesce(d.date_issued, d.date_written, d.date_published, ''), d.id SKIP $offset
// SKIP and LIMIT in separate clauses: LadybugDB's top-k operator crashes on a large SKIP.
WITH d LIMIT $limit
RETURN d.id AS id, d.title AS title, d.doc_number AS doc_number, d.issuer AS issuer,
       coalesce(d.date_issued, d.date_written, d.date_published) AS date, d.date_issued AS date_issued,
       d.date_written AS date_written, d.date_published AS date_published, d.year AS year, d.loaded AS loaded,
       COUNT { MATCH (d)-[:INCLUDES]->(:Measure) } AS measures,
       COUNT { MATCH (d)-[:HAS_SECTION]->(:Section) } AS sections
ORDER BY coalesce(date, ''), id
