// title: Every agency's other names
// description: Each agency with its full name and the other ways documents write it, so a search for an alias (省环保局) finds the agency (省环保厅).
// returns: agency, full_name, aliases
// mode: read
MATCH (a:Agency)
RETURN a.name AS agency, a.full_name AS full_name, coalesce(a.aliases, []) AS aliases
ORDER BY agency
