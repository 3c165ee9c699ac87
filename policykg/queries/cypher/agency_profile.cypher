// title: One agency's profile
// description: Registry attributes of an agency with its workload (measures by role, documents), the collectives it belongs to, its members, and its reform lineage.
// param: name: str — the agency's id, its canonical name (the API and CLI turn aliases into it first)
// returns: id, name, jurisdiction, full_name, english_name, level, kind, aliases, resolved, measures, lead, support, joint, documents, member_of, members, succeeded_by, preceded_by
// mode: read
MATCH (a:Agency {id: $name})
OPTIONAL MATCH (a)-[r:ASSIGNED]->(m:Measure)
WITH a, count(DISTINCT m.id) AS measures, count(DISTINCT m.doc_id) AS documents,
     sum(CASE WHEN r.role = 'lead' THEN 1 ELSE 0 END) AS lead,
     sum(CASE WHEN r.role = 'support' THEN 1 ELSE 0 END) AS support,
     sum(CASE WHEN r.role = 'joint' THEN 1 ELSE 0 END) AS joint
OPTIONAL MATCH (a)-[:MEMBER_OF]->(g:Agency)
WITH a, measures, documents, lead, support, joint, g ORDER BY g.name SKIP 0
WITH a, measures, documents, lead, support, joint, collect(g.name) AS member_of
OPTIONAL MATCH (member:Agency)-[:MEMBER_OF]->(a)
WITH a, measures, documents, lead, support, joint, member_of, member ORDER BY member.name SKIP 0
WITH a, measures, documents, lead, support, joint, member_of, collect(member.name) AS members
OPTIONAL MATCH (a)-[:SUCCEEDED_BY]->(successor:Agency)
WITH a, measures, documents, lead, support, joint, member_of, members, successor ORDER BY successor.name SKIP 0
WITH a, measures, documents, lead, support, joint, member_of, members, collect(successor.name) AS succeeded_by
OPTIONAL MATCH (predecessor:Agency)-[:SUCCEEDED_BY]->(a)
WITH a, measures, documents, lead, support, joint, member_of, members, succeeded_by, predecessor
     ORDER BY predecessor.name SKIP 0
WITH a, measures, documents, lead, support, joint, member_of, members, succeeded_by,
     collect(predecessor.name) AS preceded_by
RETURN a.id AS id, a.name AS name, a.jurisdiction AS jurisdiction, a.full_name AS full_name, a.english_name AS english_name, a.level AS level,
       a.kind AS kind, coalesce(a.aliases, []) AS aliases, a.resolved AS resolved, measures, lead, support, joint,
       documents, member_of, members, succeeded_by, preceded_by
ORDER BY id
