// title: Every agency's other names
// description: Each agency with its full name and the other ways documents write it, so a search for an alias (省环保局) finds the agency (省环保厅).
// returns: agency, full_name, aliases, id
// mode: read
MATCH (a:Agency)
RETURN a.name AS agency, a.full_name AS full_name, coalesce(a.aliases, []) AS aliases, a.id AS id
// Two jurisdictions' units may share a name (省交通运输厅): the id keeps the order the same on both engines.
ORDER BY agency, id
