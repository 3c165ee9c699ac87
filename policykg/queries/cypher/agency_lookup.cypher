// title: Find an agency by canonical name, alias or id
// description: The agencies a name may mean: an exact id or canonical name first, then those listing it among their aliases. The API and the CLI resolve a name with it before asking anything else.
// param: name: str — canonical name, alias or id of the agency
// returns: id, name, full_name, matched_by
// mode: read
MATCH (a:Agency)
WHERE a.id = $name OR a.name = $name OR $name IN a.aliases
RETURN a.id AS id, a.name AS name, a.full_name AS full_name,
       CASE WHEN a.id = $name THEN 'id' WHEN a.name = $name THEN 'name' ELSE 'alias' END AS matched_by
ORDER BY CASE WHEN a.id = $name THEN 0 WHEN a.name = $name THEN 1 ELSE 2 END, id
