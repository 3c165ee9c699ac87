// title: Find an agency by canonical name, alias or id
// description: The agencies a name may mean: an exact id first, then those with that canonical name, then those listing it among their aliases, with their jurisdiction and how many measures name them. A bare name (省发展改革委) may mean one unit in each jurisdiction loaded; the API and the CLI resolve a name with it before asking anything else, and ask for a jurisdiction when the choice is not clear.
// param: name: str — canonical name, alias or id of the agency
// param: jurisdiction: str = '' — only agencies of this jurisdiction, e.g. 山东省 (empty: any)
// returns: id, name, full_name, jurisdiction, measures, matched_by
// mode: read
MATCH (a:Agency)
WHERE (a.id = $name OR a.name = $name OR $name IN a.aliases)
  AND ($jurisdiction = '' OR a.jurisdiction = $jurisdiction)
OPTIONAL MATCH (a)-[r:ASSIGNED]->(:Measure)
WITH a, count(r) AS measures
RETURN a.id AS id, a.name AS name, a.full_name AS full_name, a.jurisdiction AS jurisdiction, measures,
       CASE WHEN a.id = $name THEN 'id' WHEN a.name = $name THEN 'name' ELSE 'alias' END AS matched_by
ORDER BY CASE WHEN a.id = $name THEN 0 WHEN a.name = $name THEN 1 ELSE 2 END, id
