// title: Partners of one agency
// description: The units that share measures with an agency, with how many, split by who leads whom: agency_leads counts measures the agency leads and the partner supports, partner_leads the reverse; co_lead, co_support and joint count measures where both hold the same role.
// param: name: str — the agency's id, its canonical name (the API and CLI turn aliases into it first)
// param: role: str{lead|support|joint|any} = any — only measures where the agency holds this role
// param: limit: int(1..10000) = 100 — rows per page
// param: offset: int(0..) = 0 — rows to skip
// returns: agency, id, partner, shared, agency_leads, partner_leads, co_lead, co_support, joint
// mode: read
MATCH (a:Agency {id: $name})
MATCH (a)-[r1:ASSIGNED]->(m:Measure)<-[r2:ASSIGNED]-(b:Agency)
WHERE b.id <> a.id AND ($role = 'any' OR r1.role = $role)
WITH a, b, count(DISTINCT m.id) AS shared,
     sum(CASE WHEN r1.role = 'lead' AND r2.role = 'support' THEN 1 ELSE 0 END) AS agency_leads,
     sum(CASE WHEN r1.role = 'support' AND r2.role = 'lead' THEN 1 ELSE 0 END) AS partner_leads,
     sum(CASE WHEN r1.role = 'lead' AND r2.role = 'lead' THEN 1 ELSE 0 END) AS co_lead,
     sum(CASE WHEN r1.role = 'support' AND r2.role = 'support' THEN 1 ELSE 0 END) AS co_support,
     sum(CASE WHEN r1.role = 'joint' AND r2.role = 'joint' THEN 1 ELSE 0 END) AS joint
WITH a.name AS agency, b.id AS id, b.name AS partner, shared, agency_leads, partner_leads, co_lead, co_support, joint
// SKIP and LIMIT in separate clauses: LadybugDB's top-k operator crashes on a large SKIP.
ORDER BY shared DESC, id, agency SKIP $offset
WITH agency, id, partner, shared, agency_leads, partner_leads, co_lead, co_support, joint LIMIT $limit
RETURN agency, id, partner, shared, agency_leads, partner_leads, co_lead, co_support, joint
ORDER BY shared DESC, id, agency
