// title: Document properties of every kind (list, bool, int, null)
// returns: id, title, doc_number, year, attachments, loaded
// mode: read
MATCH (d:Document)
RETURN d.id AS id, d.title AS title, d.doc_number AS doc_number, d.year AS year,
       d.attachments AS attachments, d.loaded AS loaded
ORDER BY id
