// title: Measures whose text is exactly the given value (parameter handling)
// param: text: str — the exact measure text
// returns: id, text
// mode: read
MATCH (m:Measure)
WHERE m.text = $text
RETURN m.id AS id, m.text AS text
ORDER BY id
