# Writes Resources/openapi.json, the API contract. Edit this file when a route changes, then run
# `python3 scripts/openapi.py`; OpenAPITests fails when a registered route is missing.
import json
def ref(n): return {"$ref": f"#/components/schemas/{n}"}
def err(*codes):
    d = {"400": "Malformed request", "401": "Not signed in or token expired", "403": "The role does not allow this",
         "404": "No such object (or feature_disabled)", "409": "Version conflict or a rule of the domain", "422": "Validation failed; fields named", "429": "Too many failed logins", "413": "Too large"}
    return {c: {"$ref": f"#/components/responses/E{c}"} for c in codes}
def ok(schema, code="200", desc="OK"):
    return {code: {"description": desc, "content": {"application/json": {"schema": schema}}}}
def body(schema): return {"required": True, "content": {"application/json": {"schema": schema}}}
def page(n): return {"allOf": [ref("PageMeta"), {"type": "object", "properties": {"items": {"type": "array", "items": ref(n)}}}]}
idp = {"name": "id", "in": "path", "required": True, "schema": {"type": "string", "format": "uuid"}}
q = lambda n, t="string", d=None, fmt=None: {"name": n, "in": "query", "required": False, "schema": dict({"type": t}, **({"format": fmt} if fmt else {})), **({"description": d} if d else {})}
paging = [{"name": "page", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 1, "maximum": 1000000}, "description": "1–1,000,000, default 1"},
          {"name": "per", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 1, "maximum": 500}, "description": "1–500, default 50"}]
paths = {}
def op(path, method, summary, tag, responses, params=None, rb=None, security=True):
    o = {"summary": summary, "tags": [tag], "operationId": method + "".join(p.capitalize() for p in path.replace("{","").replace("}","").replace("-","/").replace(".","/").split("/") if p), "responses": responses}
    if params: o["parameters"] = params
    if rb: o["requestBody"] = rb
    if not security: o["security"] = []
    paths.setdefault(path, {})[method] = o

op("/health", "get", "Liveness: answers without touching the database", "system", ok({"type":"object","properties":{"status":{"type":"string"}}}), security=False)
op("/openapi.json", "get", "This document", "system", ok({"type":"object"}), security=False)
op("/auth/login", "post", "Sign in; returns a bearer token", "auth", {**ok(ref("LoginResponse")), **err("400","401","422","429")}, rb=body(ref("LoginRequest")), security=False)
op("/auth/logout", "post", "Revoke the token of this request", "auth", {"204": {"description": "Signed out"}, **err("401")})
op("/me", "get", "The signed-in user", "me", {**ok(ref("User")), **err("401")})
op("/me", "patch", "Change own name, e-mail, language or password (needs currentPassword)", "me", {**ok(ref("User")), **err("400","401","409","422")}, rb=body(ref("ProfileInput")))
op("/me/tokens", "get", "Own named API tokens", "me", {**ok(page("ApiToken")), **err("401")}, params=paging)
op("/me/tokens", "post", "Create a named API token; the secret is in this answer only", "me", {**ok(ref("ApiToken"), "201", "Created"), **err("400","401","422")}, rb=body(ref("TokenInput")))
op("/me/tokens/{id}", "delete", "Revoke an own API token", "me", {**ok(ref("ApiToken")), **err("401","404")}, params=[idp])

def opid(path, method):
    return method + "".join(p.capitalize() for p in path.replace("{","").replace("}","").replace("-","/").replace(".","/").split("/") if p)
def id_links(base, source):
    """Links from an answer carrying a record's id to the operations on that record, so that the
    stateful fuzzing reuses real ids (of the demo data, or of what it created)."""
    return {name: {"operationId": opid(base + suffix, method), "parameters": {"id": source}}
            for name, suffix, method in [("get", "/{id}", "get"), ("change", "/{id}", "patch"), ("mark", "/{id}", "delete"), ("restore", "/{id}/restore", "post")]}
CREATE_REQUIRED = {"/partners": ["name"], "/counterparties": ["partnerId", "name"], "/contact-persons": ["partnerId", "name"],
                   "/partner-link-kinds": ["name", "reverseName"], "/partner-links": ["partnerId", "linkedPartnerId", "kindId"],
                   "/marketing-events": ["name", "plannedStart", "plannedEnd"], "/users": ["login", "name", "role", "password"],
                   "/deal-kinds": ["name", "type"], "/deals": ["name", "partnerId", "kindId"], "/products": ["sku", "name"],
                   "/sales": ["date", "partnerId", "lines"], "/agreements": ["counterpartyId", "number"], "/contracts": ["counterpartyId", "number"],
                   "/segments": ["name", "kind"], "/interactions": ["type", "topic"],
                   "/claims": ["partnerId", "description"], "/survey-templates": ["name", "questions"], "/surveys": ["name", "templateId", "respondents"]}
def crud(base, schema, inp, tag, listparams, who):
    listing = ok(page(schema))
    listing["200"]["links"] = id_links(base, "$response.body#/items/0/id")
    op(base, "get", f"List {tag}", tag, {**listing, **err("401","404","422")}, params=[q("q", d="search text"), q("includeDeleted", "boolean", "include objects marked for deletion")] + listparams + paging)
    created = ok(ref(schema), "201", "Created")
    created["201"]["links"] = id_links(base, "$response.body#/id")
    required = CREATE_REQUIRED.get(base, ["name"])
    op(base, "post", f"Create ({who})", tag, {**created, **err("400","401","403","404","422")}, rb=body({"allOf": [ref(inp), {"required": required}]}))
    op(base + "/{id}", "get", "One object", tag, {**ok(ref(schema)), **err("401","404")}, params=[idp])
    op(base + "/{id}", "patch", f"Change ({who}); a stale version gets 409 version_conflict", tag, {**ok(ref(schema)), **err("400","401","403","404","409","422")}, params=[idp], rb=body(ref(inp)))
    op(base + "/{id}", "delete", f"Mark for deletion ({who})", tag, {**ok(ref(schema)), **err("401","403","404","409")}, params=[idp, q("version", "integer", "expected version")])
    op(base + "/{id}/restore", "post", f"Remove the deletion mark ({who})", tag, {**ok(ref(schema)), **err("401","403","404","409")}, params=[idp])
crud("/partners", "Partner", "PartnerInput", "partners", [q("isClient", "boolean"), q("isSupplier", "boolean"), q("isCompetitor", "boolean"), q("kind"), q("mainManagerId", fmt="uuid"), q("businessRegionId", fmt="uuid"), q("accessGroupId", fmt="uuid"), q("parentId", fmt="uuid"), q("segmentId", fmt="uuid", d="members of a segment (a dynamic one's rule evaluated now)"), q("sort", d="name (default), -name, code, -code, registeredOn, -registeredOn, createdAt, -createdAt")], "admin, head, manager, marketer; within the user's access groups")
crud("/counterparties", "Counterparty", "CounterpartyInput", "counterparties", [q("partnerId", fmt="uuid"), q("inn")], "admin, head, manager, marketer; through the partner's access group")
crud("/contact-persons", "ContactPerson", "ContactPersonInput", "contact-persons", [q("partnerId", fmt="uuid"), q("includeFormer", "boolean", "include those whose relationship ended (until set)")], "admin, head, manager, marketer; through the partner's access group")
crud("/contact-roles", "Catalog", "CatalogInput", "contact-roles", [], "admin, head, marketer")
crud("/channels", "Catalog", "CatalogInput", "channels", [], "admin, head, marketer")
crud("/partner-link-kinds", "Catalog", "CatalogInput", "partner-link-kinds", [], "admin, head, marketer; reverseName required: the name of the other direction")
crud("/partner-links", "PartnerLink", "PartnerLinkInput", "partner-links", [q("partnerId", fmt="uuid", d="links of this partner, in both directions"), q("kindId", fmt="uuid")], "admin, head, manager, marketer; both partners must be visible")
crud("/marketing-events", "MarketingEvent", "MarketingEventInput", "marketing-events", [q("channelId", fmt="uuid"), q("responsibleId", fmt="uuid"), q("partnerId", fmt="uuid", d="events with this participant"), q("finished", "boolean"), q("from", fmt="date", d="planned period overlaps from…"), q("to", fmt="date", d="…to, inclusive")], "admin, head, manager, marketer; feature marketingEvents; participants of partners outside the user's access groups are hidden and kept")
crud("/users", "User", "UserInput", "users", [q("role"), q("active", "boolean")], "admin")
crud("/business-regions", "Catalog", "CatalogInput", "business-regions", [], "admin, head, marketer; feature businessRegions")
crud("/access-groups", "Catalog", "CatalogInput", "access-groups", [], "admin; feature accessGroups")
op("/settings/features", "get", "Feature switches", "settings", {**ok(ref("Features")), **err("401")})
op("/settings/features", "put", "Replace the feature switches (admin); every switch required", "settings", {**ok(ref("Features")), **err("400","401","403","422")}, rb=body(ref("Features")))
op("/settings/classification", "get", "ABC/XYZ settings", "settings", {**ok(ref("ClassificationSettings")), **err("401")})
op("/settings/classification", "put", "Replace the ABC/XYZ settings (admin)", "settings", {**ok(ref("ClassificationSettings")), **err("400","401","403","422")}, rb=body(ref("ClassificationSettings")))
op("/audit", "get", "The change log (admin, head), newest first", "audit", {**ok(page("AuditEntry")), **err("401","403","422")},
   params=[q("objectType"), q("objectId"), q("userId", fmt="uuid"), q("from", d="YYYY-MM-DD", fmt="date"), q("to", d="YYYY-MM-DD, inclusive", fmt="date")] + paging)
op("/purge", "get", "What a purge would delete and keep (admin)", "purge", {**ok(ref("PurgeReport")), **err("401","403")})
op("/purge", "post", "Delete marked objects nothing refers to (admin)", "purge", {**ok(ref("PurgeReport")), **err("401","403")})

S = lambda props, req=None: dict({"type": "object", "properties": props}, **({"required": req} if req else {}))
s = {"type": "string"}; u = {"type": "string", "format": "uuid"}; b = {"type": "boolean"}; i = {"type": "integer"}
ts = {"type": "string", "format": "date-time"}; ns = {"type": ["string", "null"]}
roles = {"type": "string", "enum": ["admin", "head", "manager", "marketer", "viewer"]}
units = {"type": "string", "enum": ["day", "week", "decade", "month", "quarter", "halfYear", "year"]}
feats = ["deals","dealStages","interactions","email","sms","marketingEvents","independentCounterparties","businessRegions","accessGroups","segments","abcxyzRevenue","abcxyzGrossProfit","abcxyzSalesCount","surveys","mailings","competitorIntel","assortment","claims"]
schemas = {
 "Error": S({"error": S({"code": s, "message": s, "fields": {"type": "object", "additionalProperties": s}}, ["code", "message"])}, ["error"]),
 "PageMeta": S({"total": i, "page": i, "per": i}, ["total", "page", "per"]),
 "LoginRequest": S({"login": s, "password": s}, ["login", "password"]),
 "LoginResponse": S({"token": s, "expiresAt": ts}, ["token", "expiresAt"]),
 "User": S({"id": u, "login": s, "name": s, "email": ns, "phone": dict(ns, description="for {{manager.phone}} in mailings"), "role": roles, "language": {"type": "string", "enum": ["ru", "en"]}, "accessGroupIds": {"type": "array", "items": u}, "active": b, "deletionMark": b, "counterparty": dict(ref("CounterpartyInput"), description="the partner's counterparty in the same step: created with a new partner; on PATCH its only counterparty is changed (or created)"), "version": i}, ["id","login","name","role","language","accessGroupIds","active","version"]),
 "UserInput": S({"login": s, "name": s, "email": s, "phone": s, "role": roles, "language": s, "password": {"type": "string", "minLength": 8}, "accessGroupIds": {"type": "array", "items": u}, "active": b, "version": i}),
 "ProfileInput": S({"name": s, "email": s, "phone": s, "language": s, "password": s, "currentPassword": s, "version": i}),
 "ApiToken": S({"id": u, "name": ns, "kind": s, "createdAt": ts, "expiresAt": ts, "lastUsedAt": ts, "revoked": b, "token": {"type": "string", "description": "only when just created"}}, ["id", "kind", "expiresAt", "revoked"]),
 "TokenInput": S({"name": s, "expiresInDays": {"type": "integer", "minimum": 1, "maximum": 366}}, ["name"]),
 "Catalog": S({"id": u, "name": s, "reverseName": {"type": "string", "description": "partner link kinds only"}, "parentId": {"type": ["string", "null"], "format": "uuid", "description": "product groups only: the parent group"}, "unsubscribable": {"type": "boolean", "description": "mailing topics only: whether a recipient may unsubscribe (service notices may not)"}, "comment": ns, "deletionMark": b, "version": i}, ["id", "name", "deletionMark", "version"]),
 "CatalogInput": S({"name": s, "reverseName": s, "parentId": u, "unsubscribable": b, "comment": s, "version": i}),
 "PartnerLink": S({"id": u, "partnerId": u, "linkedPartnerId": u, "kindId": u, "comment": ns, "deletionMark": b, "version": i}, ["id", "partnerId", "linkedPartnerId", "kindId", "deletionMark", "version"]),
 "PartnerLinkInput": S({"partnerId": u, "linkedPartnerId": u, "kindId": u, "comment": s, "version": i}),
 "EventParticipant": S({"partnerId": u, "contactPersonId": {"type": ["string", "null"], "format": "uuid"}, "role": ns, "invited": b, "attended": b}, ["partnerId", "invited", "attended"]),
 "MarketingEvent": S({"id": u, "name": s, "kind": ns, "channelId": {"type": ["string", "null"], "format": "uuid"}, "plannedStart": {"type": "string", "format": "date"}, "plannedEnd": {"type": "string", "format": "date"},
                      "actualStart": {"type": ["string", "null"], "format": "date"}, "actualEnd": {"type": ["string", "null"], "format": "date"}, "responsibleId": {"type": ["string", "null"], "format": "uuid"},
                      "targetSegmentId": {"type": ["string", "null"], "format": "uuid"}, "finished": b, "budget": {"type": ["number", "null"]}, "actualCost": {"type": ["number", "null"]},
                      "participants": {"type": "array", "items": ref("EventParticipant")}, "comment": ns, "deletionMark": b, "version": i},
                     ["id", "name", "plannedStart", "plannedEnd", "finished", "participants", "deletionMark", "version"]),
 "MarketingEventInput": S({"name": s, "kind": s, "channelId": u, "plannedStart": {"type": "string", "format": "date"}, "plannedEnd": {"type": "string", "format": "date"},
                           "actualStart": {"type": "string", "format": "date"}, "actualEnd": {"type": "string", "format": "date"}, "responsibleId": u, "targetSegmentId": u, "finished": b,
                           "budget": {"type": "number", "minimum": 0}, "actualCost": {"type": "number", "minimum": 0}, "participants": {"type": "array", "items": ref("EventParticipant")}, "comment": s, "version": i}),
 "Contact": S({"type": {"type": "string", "enum": ["phone", "email", "address", "web", "fax", "messenger", "other"]}, "kind": s, "value": s, "validFrom": {"type": ["string", "null"], "format": "date"}}, ["type", "kind", "value"]),
 "Partner": S({"id": u, "code": ns, "name": s, "fullName": s, "parentId": {"type": ["string", "null"], "format": "uuid"}, "kind": {"type": "string", "enum": ["company", "person"]},
               "isClient": b, "isSupplier": b, "isCompetitor": b, "isOther": b, "mainManagerId": {"type": ["string", "null"], "format": "uuid"}, "businessRegionId": {"type": ["string", "null"], "format": "uuid"},
               "accessGroupId": {"type": ["string", "null"], "format": "uuid"}, "registeredOn": ns, "gender": ns, "birthDate": ns, "comment": ns,
               "contacts": {"type": "array", "items": ref("Contact")}, "segmentIds": {"type": "array", "items": u}, "source": {"oneOf": [ref("Source"), {"type": "null"}]}, "deletionMark": b, "version": i},
              ["id", "name", "fullName", "kind", "isClient", "isSupplier", "isCompetitor", "isOther", "contacts", "segmentIds", "deletionMark", "version"]),
 "PartnerInput": S({"code": s, "name": s, "fullName": s, "parentId": u, "kind": {"type": "string", "enum": ["company", "person"]}, "isClient": b, "isSupplier": b, "isCompetitor": b, "isOther": b,
                    "mainManagerId": u, "businessRegionId": u, "accessGroupId": u, "registeredOn": {"type": "string", "format": "date"}, "gender": {"type": "string", "enum": ["male", "female"]},
                    "birthDate": {"type": "string", "format": "date"}, "comment": s, "contacts": {"type": "array", "items": ref("Contact")}, "source": ref("Source"), "version": i}),
 "Source": S({"channelId": u, "eventId": u, "referrerPartnerId": u, "note": s}, ["channelId"]),
 "HistoryEntry": S({"value": s, "until": {"type": "string", "format": "date"}}, ["value", "until"]),
 "Counterparty": S({"id": u, "partnerId": u, "code": ns, "name": s, "fullName": s, "legalForm": {"type": "string", "enum": ["legalEntity", "soleProprietor", "individual", "foreignLegalEntity"]},
                    "inn": ns, "kpp": ns, "ogrn": ns, "okpo": ns, "country": ns, "headCounterpartyId": {"type": ["string", "null"], "format": "uuid"},
                    "contacts": {"type": "array", "items": ref("Contact")}, "nameHistory": {"type": "array", "items": ref("HistoryEntry")}, "kppHistory": {"type": "array", "items": ref("HistoryEntry")},
                    "deletionMark": b, "version": i}, ["id", "partnerId", "name", "fullName", "legalForm", "contacts", "nameHistory", "kppHistory", "deletionMark", "version"]),
 "CounterpartyInput": S({"partnerId": u, "code": s, "name": s, "fullName": s, "legalForm": {"type": "string", "enum": ["legalEntity", "soleProprietor", "individual", "foreignLegalEntity"]},
                         "inn": s, "kpp": s, "ogrn": s, "okpo": s, "country": s, "headCounterpartyId": u, "contacts": {"type": "array", "items": ref("Contact")}, "version": i}),
 "ContactPerson": S({"id": u, "partnerId": u, "name": s, "position": ns, "roles": {"type": "array", "items": u}, "gender": ns, "birthDate": ns, "since": ns, "until": ns,
                      "contacts": {"type": "array", "items": ref("Contact")}, "deletionMark": b, "version": i}, ["id", "partnerId", "name", "roles", "contacts", "deletionMark", "version"]),
 "ContactPersonInput": S({"partnerId": u, "name": s, "position": s, "roles": {"type": "array", "items": u}, "gender": {"type": "string", "enum": ["male", "female"]},
                           "birthDate": {"type": "string", "format": "date"}, "since": {"type": "string", "format": "date"}, "until": {"type": "string", "format": "date"},
                           "contacts": {"type": "array", "items": ref("Contact")}, "version": i}),
 "Features": S({f: b for f in feats}, feats),
 "ClassificationSettings": S({"abc": S({"unit": units, "count": {"type": "integer", "minimum": 1, "maximum": 366}}, ["unit", "count"]),
                              "xyz": S({"unit": units, "count": {"type": "integer", "minimum": 1, "maximum": 366}, "subUnit": units}, ["unit", "count", "subUnit"]),
                              "schedule": dict(units, description="run by itself at the start of every period of this unit; absent: on demand only")}, ["abc", "xyz"]),
 "AuditEntry": S({"id": u, "at": ts, "userId": {"type": ["string", "null"], "format": "uuid"}, "userLogin": s, "action": {"type": "string", "enum": ["create", "update", "markDeleted", "restore", "purge", "merge"]}, "objectType": s, "objectId": s,
                  "changes": {"type": "array", "items": S({"field": s, "old": {}, "new": {}}, ["field"])}}, ["id","at","userLogin","action","objectType","objectId","changes"]),
 "PurgeItem": S({"objectType": s, "id": u, "name": s, "referencedBy": {"type": "array", "items": s}}, ["objectType", "id", "name"]),
 "PurgeReport": S({"purged": {"type": "array", "items": ref("PurgeItem")}, "kept": {"type": "array", "items": ref("PurgeItem")}}, ["purged", "kept"]),
}
op("/partners/duplicates", "post", "Candidates that may be the same partner, with reasons (inn, phone, email, name)", "partners",
   {**ok(S({"candidates": {"type": "array", "items": S({"id": u, "name": s, "reasons": {"type": "array", "items": {"type": "string", "enum": ["inn", "phone", "email", "name"]}}}, ["id", "name", "reasons"])}}, ["candidates"])), **err("400", "401", "422")},
   rb=body(S({"name": s, "inn": s, "contacts": {"type": "array", "items": ref("Contact")}, "excludeId": u})))
op("/partners/{id}/merge", "post", "Merge this partner into intoId: everything referring to it moves; it is marked for deletion", "partners",
   {**ok(S({"survivor": ref("Partner"), "moved": {"type": "object", "additionalProperties": i}}, ["survivor", "moved"])), **err("400", "401", "403", "404", "409", "422")},
   params=[idp], rb=body(S({"intoId": u}, ["intoId"])))
paths["/import/{kind}"] = {"post": {"summary": "Import a CSV file (partners: code,name,full_name,kind,is_client,is_supplier,is_competitor,parent_code,manager_login,region,access_group,channel; counterparties: code,partner_code,name,legal_form,inn,kpp,ogrn; contact-persons: partner_code,name,position,phone,email; products: sku,name,group,unit,price; sales: doc_number,date,partner_code,counterparty_code,product_sku,quantity,price,amount,cost, one row per line, consecutive rows of one doc_number form a document, negative quantities a return; competitor-prices: competitor_code,product_sku,date,price,currency,source,note, a line repeating a kept observation is left out, feature competitorIntel); re-import updates by code (contact persons: by partner and name; products: by sku; sales: a document is replaced by doc_number); all or nothing unless partial=true; products need the right to manage catalogues", "tags": ["import"], "operationId": "postImport",
  "parameters": [{"name": "kind", "in": "path", "required": True, "schema": {"type": "string", "enum": ["partners", "counterparties", "contact-persons", "products", "sales", "competitor-prices"]}}, q("partial", "boolean")],
  "requestBody": {"required": True, "content": {"text/csv": {"schema": {"type": "string"}}}},
  "responses": {"200": {"description": "Imported", "content": {"application/json": {"schema": ref("ImportReport")}}},
                "422": {"description": "Errors; nothing imported unless partial", "content": {"application/json": {"schema": ref("ImportReport")}}}, **err("401", "403", "404", "413")}}}
def export(path, what, params):
    paths[path] = {"get": {"summary": f"Export {what} as CSV in the import's columns, streamed; only what the user may see", "tags": ["export"],
        "operationId": "get" + "".join(p.capitalize() for p in path.strip("/").replace(".", "/").replace("-", "/").split("/")),
        "parameters": params + [q("includeDeleted", "boolean")],
        "responses": {"200": {"description": "CSV (UTF-8, comma, header row)", "content": {"text/csv": {"schema": {"type": "string"}}}}, **err("401", "422")}}}
export("/partners.csv", "partners", [q("q"), q("isClient", "boolean"), q("isSupplier", "boolean"), q("isCompetitor", "boolean"), q("kind"), q("mainManagerId", fmt="uuid"), q("businessRegionId", fmt="uuid"), q("accessGroupId", fmt="uuid"), q("parentId", fmt="uuid")])
export("/counterparties.csv", "counterparties", [q("partnerId", fmt="uuid")])
export("/contact-persons.csv", "contact persons", [q("partnerId", fmt="uuid")])

# Deals (DOMAIN.md §4), behind the deals switch; stage actions and tasks also behind dealStages.
crud("/deal-kinds", "DealKind", "DealKindInput", "deal-kinds", [], "admin, head, marketer; stages inline, ordered by order from 1; a stage deals reached cannot be dropped")
crud("/deals", "Deal", "DealInput", "deals", [q("partnerId", fmt="uuid"), q("kindId", fmt="uuid"), q("stageId", fmt="uuid"), q("status", d="open, won, lost"), q("responsibleId", fmt="uuid"), q("from", fmt="date", d="start date from…"), q("to", fmt="date", d="…to, inclusive")], "admin, head, manager, marketer; within the user's access groups; status and stage change only through the actions")
crud("/loss-reasons", "Catalog", "CatalogInput", "loss-reasons", [], "admin, head, marketer; feature deals")
crud("/unsatisfied-reasons", "Catalog", "CatalogInput", "unsatisfied-reasons", [], "admin, head, marketer; feature deals")
op("/deals/{id}/stage", "post", "Move the deal to a stage of its kind: forward closes the current stage won and fills skipped ones; backward deletes later stages and reopens the target. A process kind refuses to leave a stage forward while required checklist actions are open (409 checklist_incomplete) unless a head sends override", "deals",
   {**ok(ref("Deal")), **err("400","401","403","404","409","422")}, params=[idp], rb=body(S({"stageId": u, "override": b, "version": i}, ["stageId"])))
op("/deals/{id}/win", "post", "Win the deal: the current stage closes won", "deals", {**ok(ref("Deal")), **err("401","403","404","409")}, params=[idp], rb={"required": False, "content": {"application/json": {"schema": S({"version": i})}}})
op("/deals/{id}/lose", "post", "Lose the deal with a reason (422 without); the current stage closes lost; the competitor, if named, becomes the participant that won it", "deals",
   {**ok(ref("Deal")), **err("400","401","403","404","409","422")}, params=[idp], rb=body(S({"lossReasonId": u, "competitorId": u, "version": i}, ["lossReasonId"])))
op("/deals/{id}/reopen", "post", "Reopen a won or lost deal at its current stage", "deals", {**ok(ref("Deal")), **err("401","403","404","409")}, params=[idp], rb={"required": False, "content": {"application/json": {"schema": S({"version": i})}}})
op("/deals/{id}/stages", "get", "The deal's stage statistics, in stage order", "deals", {**ok(S({"items": {"type": "array", "items": ref("StageRow")}}, ["items"])), **err("401","404")}, params=[idp])
op("/deals/board", "get", "The kanban board of a staged deal kind: per stage, the count and potential of all open deals and the newest per (default 50, at most 500) as cards with probability and days at the stage", "deals",
   {**ok(S({"kindId": u, "columns": {"type": "array", "items": S({"stageId": u, "name": s, "order": i, "count": i, "potentialAmount": {"type": "number"},
     "deals": {"type": "array", "items": S({"id": u, "number": i, "name": s, "partnerId": u, "partnerName": s, "potentialAmount": {"type": ["number", "null"]}, "probability": {"type": "number"},
       "daysInStage": i, "responsibleId": {"type": ["string", "null"], "format": "uuid"}, "version": i}, ["id", "number", "name", "partnerId", "probability", "daysInStage", "version"])}},
     ["stageId", "name", "order", "count", "potentialAmount", "deals"])}}, ["kindId", "columns"])), **err("401","404","422")},
   params=[dict(q("kindId", fmt="uuid"), required=True), q("responsibleId", fmt="uuid"), q("per", "integer", "cards per column, 1–500, default 50")])
op("/tasks", "get", "Checklist actions as tasks: by default the open ones of open deals; due keeps those due on or before the day; dealId lists a deal's tasks, done or not", "tasks",
   {**ok(page("Task")), **err("401","404","422")}, params=[q("responsibleId", fmt="uuid"), q("due", fmt="date"), q("dealId", fmt="uuid"), q("done", "boolean")] + paging)
op("/tasks/{id}/complete", "post", "Mark a task done; who and when are recorded", "tasks", {**ok(ref("Task")), **err("401","403","404")}, params=[idp])
op("/tasks/{id}/reopen", "post", "Mark a task not done", "tasks", {**ok(ref("Task")), **err("401","403","404")}, params=[idp])
nu = {"type": ["string", "null"], "format": "uuid"}; money = {"type": ["number", "null"]}
action = S({"id": u, "text": s, "required": b, "dueDays": {"type": ["integer", "null"]}}, ["text", "required"])
stage = S({"id": u, "name": s, "order": i, "checklist": {"type": "array", "items": action}}, ["name"])
kind_type = {"type": "string", "enum": ["free", "manual", "process"]}
schemas["DealKind"] = S({"id": u, "name": s, "type": kind_type, "useDemand": b, "allowed": b, "comment": ns, "stages": {"type": "array", "items": stage}, "deletionMark": b, "version": i},
                        ["id", "name", "type", "useDemand", "allowed", "stages", "deletionMark", "version"])
schemas["DealKindInput"] = S({"name": s, "type": kind_type, "useDemand": b, "allowed": b, "comment": s, "stages": {"type": "array", "items": stage}, "version": i})
participant = S({"partnerId": u, "role": ns, "contactPersonId": nu, "contactRole": ns, "wonDeal": b}, ["partnerId"])
demand = S({"description": s, "amount": money, "satisfiedPercent": i, "unsatisfiedReasonId": nu}, ["description"])
status = {"type": "string", "enum": ["open", "won", "lost"]}
deal_fields = {"name": s, "partnerId": u, "kindId": u, "startDate": {"type": "string", "format": "date"}, "endDate": {"type": ["string", "null"], "format": "date"},
               "responsibleId": nu, "potentialAmount": money, "currency": s, "managerProbability": {"type": ["integer", "null"], "minimum": 0, "maximum": 100},
               "agreementId": nu, "participants": {"type": "array", "items": participant}, "demand": {"type": "array", "items": demand}, "source": ref("Source"), "comment": ns}
schemas["Deal"] = S(dict(deal_fields, id=u, number=i, status=status, stageId=nu, closed=b, probability={"type": "number", "description": "mean of the positive components of DOMAIN.md §4, one decimal"},
                         lossReasonId=nu, deletionMark=b, version=i),
                    ["id", "number", "name", "partnerId", "kindId", "status", "startDate", "closed", "currency", "probability", "participants", "demand", "deletionMark", "version"])
schemas["DealInput"] = S(dict(deal_fields, version=i))
schemas["StageRow"] = S({"stageId": u, "name": s, "order": i, "start": ts, "end": {"type": ["string", "null"], "format": "date-time"}, "durationDays": {"type": ["integer", "null"]},
                         "potential": money, "result": status, "responsibleId": nu, "override": S({"userId": u, "at": ts}, ["userId", "at"])},
                        ["stageId", "name", "order", "start", "result"])
schemas["Task"] = S({"id": u, "dealId": u, "dealNumber": i, "dealName": s, "stageId": u, "text": s, "required": b, "dueDate": {"type": ["string", "null"], "format": "date"},
                     "responsibleId": nu, "done": b, "doneAt": {"type": ["string", "null"], "format": "date-time"}, "doneBy": nu},
                    ["id", "dealId", "stageId", "text", "required", "done"])

# Sales facts (DOMAIN.md §5).
op("/settings/sales", "get", "Sales settings: whether a sale linked to an open deal wins it", "settings", {**ok(ref("SalesSettings")), **err("401")})
op("/settings/sales", "put", "Replace the sales settings (admin)", "settings", {**ok(ref("SalesSettings")), **err("400","401","403")}, rb=body(ref("SalesSettings")))
export("/products.csv", "products", [q("q"), q("groupId", fmt="uuid")])
export("/sales.csv", "sales documents, one row per line", [q("q"), q("partnerId", fmt="uuid"), q("counterpartyId", fmt="uuid"), q("organizationId", fmt="uuid"), q("dealId", fmt="uuid"), q("kind", d="sale or return"), q("from", fmt="date"), q("to", fmt="date")])
schemas["SalesSettings"] = S({"autoWinDeals": b}, ["autoWinDeals"])
crud("/product-groups", "Catalog", "CatalogInput", "product-groups", [q("parentId", fmt="uuid", d="the children of this group")], "admin, head, marketer; groups form a tree (parentId)")
crud("/organizations", "Catalog", "CatalogInput", "organizations", [], "admin, head, marketer; our own legal entities")
crud("/products", "Product", "ProductInput", "products", [q("groupId", fmt="uuid")], "admin, head, marketer; sku unique")
schemas["Product"] = S({"id": u, "sku": s, "name": s, "groupId": nu, "unit": s, "price": money, "comment": ns, "deletionMark": b, "version": i}, ["id", "sku", "name", "unit", "deletionMark", "version"])
schemas["ProductInput"] = S({"sku": s, "name": s, "groupId": u, "unit": s, "price": {"type": "number", "minimum": 0}, "comment": s, "version": i})
crud("/sales", "Sale", "SaleInput", "sales", [q("partnerId", fmt="uuid"), q("counterpartyId", fmt="uuid"), q("organizationId", fmt="uuid"), q("dealId", fmt="uuid"), q("kind", d="sale or return"), q("from", fmt="date", d="document date from…"), q("to", fmt="date", d="…to, inclusive")],
     "admin, head, manager, marketer; through the partner's access group; every write moves the partner's daily totals; a sale linked to an open deal wins it (settings/sales)")
op("/sales/monthly", "get", "A partner's sales by month, newest first, from the kept daily totals", "sales", {**ok({"type": "array", "items": ref("SalesMonth")}), **err("401","404","422")},
   params=[dict(q("partnerId", fmt="uuid"), required=True), q("months", "integer", "how many months back, 1–120 (default 24)")])
sale_line = S({"productId": u, "quantity": {"type": "number", "description": "at most 3 decimals; negative on a return"}, "price": {"type": "number"}, "amount": {"type": "number"}, "cost": {"type": "number"}}, ["productId", "quantity", "price", "amount", "cost"])
sale_line_in = S({"productId": u, "quantity": {"type": "number"}, "price": {"type": "number", "description": "default: the product's price"}, "amount": {"type": "number", "description": "default: quantity × price, to the kopeck"}, "cost": {"type": "number", "description": "default 0"}}, ["productId", "quantity"])
sale_refs = {"number": s, "date": {"type": "string", "format": "date"}, "partnerId": u, "counterpartyId": nu, "organizationId": nu, "dealId": nu, "agreementId": nu, "contractId": nu, "comment": ns}
schemas["Sale"] = S(dict(sale_refs, id=u, isReturn=b, lines={"type": "array", "items": sale_line}, revenue={"type": "number"}, cost={"type": "number"}, grossProfit={"type": "number"}, deletionMark=b, version=i),
                    ["id", "number", "date", "partnerId", "isReturn", "lines", "revenue", "cost", "grossProfit", "deletionMark", "version"])
schemas["SaleInput"] = S(dict(sale_refs, lines={"type": "array", "items": sale_line_in}, version=i))
schemas["SalesMonth"] = S({"month": {"type": "string", "description": "YYYY-MM"}, "revenue": {"type": "number"}, "cost": {"type": "number"}, "grossProfit": {"type": "number"}, "salesCount": i, "returnsCount": i},
                          ["month", "revenue", "cost", "grossProfit", "salesCount", "returnsCount"])
terms = {"counterpartyId": u, "organizationId": nu, "number": s, "name": s, "date": {"type": ["string", "null"], "format": "date"}, "validFrom": {"type": ["string", "null"], "format": "date"},
         "validTo": {"type": ["string", "null"], "format": "date"}, "priceType": ns, "paymentTerms": ns, "comment": ns}
for path, name in [("/agreements", "Agreement"), ("/contracts", "Contract")]:
    crud(path, "Terms", "TermsInput", path.strip("/"), [q("counterpartyId", fmt="uuid")], "admin, head, manager, marketer; through the counterparty's partner")
schemas["Terms"] = S(dict(terms, id=u, deletionMark=b, version=i), ["id", "counterpartyId", "number", "name", "deletionMark", "version"])
schemas["TermsInput"] = S(dict(terms, version=i))

# Analytics (DOMAIN.md §6): classification history and the reports read from it.
date = {"type": "string", "format": "date"}
measure_q = q("measure", d="revenue (default), grossProfit or salesCount; a switched-off measure is 404 feature_disabled")
csv_note = "; Accept: text/csv answers CSV"
op("/classification/run", "post", "Run ABC/XYZ classification for a date (today by default) by every enabled measure; a run for the same record date is replaced (admin, head, marketer)", "analytics",
   {**ok(ref("ClassificationRun"), "201", "Created"), **err("400","401","403","404","422")}, rb=body(S({"date": date})))
op("/classification/runs", "get", "The classification history, newest first", "analytics", {**ok({"type": "array", "items": ref("ClassificationRun")}), **err("401","422")}, params=[measure_q])
op("/reports/abc-xyz", "get", "ABC/XYZ results of the latest run recorded on or before date, biggest value first; unclassified partners lost since the previous run" + csv_note, "analytics",
   {**ok(ref("ABCXYZReport")), **err("401","404","422")}, params=[q("date", fmt="date"), measure_q, q("abc", d="only this class: A, B, C, unclassified"), q("xyz", d="only this class: X, Y, Z, unclassified"),
   q("page", "integer", "with page or per: one page of items and total; without: every item"), q("per", "integer", "1–500, default 50")])
op("/reports/bcg", "get", "BCG matrix: cells of the current and previous run (rows X Y Z unclassified none × columns A B C unclassified none; key \"AX\", or \"A/none\" where a class is not a letter), transitions and quadrants" + csv_note, "analytics",
   {**ok(ref("BCGReport")), **err("401","404","422")}, params=[q("date", fmt="date"), measure_q])
op("/reports/funnel", "get", "Sales funnel of a deal kind from stage statistics, over rows whose stage interval overlaps the period" + csv_note, "analytics",
   {**ok(ref("FunnelReport")), **err("401","404","422")}, params=[q("kindId", fmt="uuid", d="default: the first kind with stages by name"), q("from", fmt="date"), q("to", fmt="date"), q("responsibleId", fmt="uuid")])
op("/reports/loss-reasons", "get", "Lost deals (closed in the period) and their potential by reason, by responsible × reason and by client × reason (the 200 clients with most losses)" + csv_note, "analytics",
   {**ok(ref("LossReasonsReport")), **err("401","404","422")}, params=[q("from", fmt="date"), q("to", fmt="date"), q("kindId", fmt="uuid")])
loss_line = S({"id": nu, "name": s, "reasonId": nu, "reason": s, "count": i, "potential": {"type": "number"}}, ["name", "reason", "count", "potential"])
schemas["LossReasonsReport"] = S({"reasons": {"type": "array", "items": loss_line}, "byResponsible": {"type": "array", "items": loss_line}, "byPartner": {"type": "array", "items": loss_line}},
                                 ["reasons", "byResponsible", "byPartner"])
measures = {"type": "string", "enum": ["revenue", "grossProfit", "salesCount"]}
op("/partners/{id}/classification", "get", "A partner's ABC/XYZ results in the latest 12 runs, newest first, and its relationship stage from the latest XYZ by the stage measure (revenue, or the first enabled): none potential, Z oneOff, unclassified lost, X or Y regular", "analytics",
   {**ok(ref("PartnerClassification")), **err("401","404")}, params=[idp])
period = S({"start": date, "end": date}, ["start", "end"])
schemas["ClassificationRun"] = S({"id": u, "date": dict(date, description="record date: the last day of the ABC window"), "classificationDate": date, "abcWindow": period, "xyzWindow": period,
                                  "subPeriods": i, "settings": ref("ClassificationSettings"), "measures": {"type": "array", "items": measures}, "partners": i, "durationMs": i,
                                  "createdAt": {"type": "string", "format": "date-time"}, "createdBy": nu},
                                 ["id", "date", "classificationDate", "abcWindow", "xyzWindow", "subPeriods", "settings", "measures", "partners", "durationMs", "createdAt"])
cls = lambda letters: {"type": ["string", "null"], "enum": letters + ["unclassified", None]}
schemas["ABCXYZReport"] = S({"date": date, "windowStart": date, "windowEnd": date, "xyzWindowStart": date, "xyzWindowEnd": date, "measure": measures,
                             "total": dict(i, description="only when a page was asked for"), "page": i, "per": i,
                             "items": {"type": "array", "items": S({"partnerId": u, "partnerCode": ns, "partnerName": s, "abc": cls(["A", "B", "C"]), "abcValue": money,
                                                                    "xyz": cls(["X", "Y", "Z"]), "xyzValue": dict(money, description="coefficient of variation, %")}, ["partnerId", "partnerName"])}},
                            ["date", "windowStart", "windowEnd", "measure", "items"])
schemas["PartnerClassification"] = S({"relationshipStage": {"type": "string", "enum": ["potential", "oneOff", "regular", "lost"]}, "stageMeasure": {"type": ["string", "null"]},
    "history": {"type": "array", "items": S({"date": date, "measure": measures, "abc": cls(["A", "B", "C"]), "abcValue": money, "xyz": cls(["X", "Y", "Z"]), "xyzValue": money}, ["date", "measure"])}},
    ["relationshipStage", "history"])
matrix = S({"date": date, "cells": {"type": "object", "additionalProperties": i}}, ["date", "cells"])
schemas["BCGReport"] = S({"measure": measures, "current": matrix, "previous": {"oneOf": [matrix, {"type": "null"}]},
                          "transitions": {"type": "array", "items": S({"from": s, "to": s, "count": i}, ["from", "to", "count"])},
                          "quadrants": S({"stars": i, "cashCows": i, "dogs": i, "questionMarks": i}, ["stars", "cashCows", "dogs", "questionMarks"])},
                         ["measure", "current", "transitions", "quadrants"])
num = {"type": "number"}
schemas["FunnelReport"] = S({"kindId": nu, "kindName": ns, "stages": {"type": "array", "items": S(
    {"stageId": u, "name": s, "order": i, "reached": i, "won": i, "lost": i, "open": i, "wonAmount": num, "lostAmount": num, "openAmount": num,
     "meanDurationDays": money, "conversionToNext": dict(money, description="next stage's reached ÷ this one's")},
    ["stageId", "name", "order", "reached", "won", "lost", "open", "wonAmount", "lostAmount", "openAmount"])}}, ["stages"])

dims = ["responsible", "kind", "status", "stage", "partner", "channel", "event", "region", "lossReason", "competitor", "month"]
op("/reports/deals", "get", "Deal analysis of the deals started in the period: count, open/won/lost, potential, won amount, win rate (won ÷ closed, %) and mean cycle (days start → end of closed deals), grouped by up to three dimensions; a deal with two competitors counts under each" + csv_note, "analytics",
   {**ok(ref("DealAnalysisReport")), **err("401","404","422")},
   params=[q("groupBy", d="comma-separated, 1–3 of: " + ", ".join(dims) + " (default responsible); repeated groupBy parameters are joined"), q("from", fmt="date"), q("to", fmt="date"), q("kindId", fmt="uuid"), q("responsibleId", fmt="uuid")])
deal_figures = {"count": i, "open": i, "won": i, "lost": i, "potential": num, "wonAmount": num, "winRate": money, "meanCycleDays": money}
deal_key = S({"dimension": {"type": "string", "enum": dims}, "value": dict(ns, description="the record's id, open|won|lost, or YYYY-MM; null: none"), "name": s}, ["dimension", "name"])
deal_line = S(dict(deal_figures, keys={"type": "array", "items": deal_key}), ["keys", "count", "open", "won", "lost", "potential", "wonAmount"])
schemas["DealAnalysisReport"] = S({"groupBy": {"type": "array", "items": {"type": "string", "enum": dims}}, "groups": {"type": "array", "items": deal_line}, "total": deal_line}, ["groupBy", "groups", "total"])
op("/reports/forecast", "get", "Open deals by expected close month (end date; null month: none) and by month × responsible: count, potential, potential × probability (DOMAIN.md §4) and mean probability" + csv_note, "analytics",
   {**ok(ref("ForecastReport")), **err("401","404","422")}, params=[q("kindId", fmt="uuid"), q("responsibleId", fmt="uuid"), q("from", fmt="date", d="expected close on or after"), q("to", fmt="date")])
forecast_line = S({"month": ns, "responsibleId": nu, "responsible": ns, "count": i, "potential": num, "weighted": num, "meanProbability": money}, ["count", "potential", "weighted"])
schemas["ForecastReport"] = S({"months": {"type": "array", "items": forecast_line}, "byResponsible": {"type": "array", "items": forecast_line}, "total": forecast_line}, ["months", "byResponsible", "total"])
op("/reports/marketing-events", "get", "Marketing-event and channel effectiveness from primary-interest records: a partner counts for its registration source, a deal for its own source or else its partner's; revenue and gross profit of the partners from their registration date; cost = actual cost of the events; cost per won client; ROI = 100·(gross profit − cost) ÷ cost. A period selects partners registered, deals started, sales made and events planned in it; the channel line with null channelId holds deals without any source (feature marketingEvents)" + csv_note, "analytics",
   {**ok(ref("MarketingReport")), **err("401","404","422")}, params=[q("from", fmt="date"), q("to", fmt="date")])
campaign = S({"eventId": nu, "channelId": nu, "name": s, "channel": ns, "plannedStart": ns, "newPartners": i, "deals": i, "wonDeals": i, "wonClients": i,
              "revenue": num, "grossProfit": num, "cost": num, "costPerWonClient": money, "roi": money}, ["name", "newPartners", "deals", "wonDeals", "wonClients", "revenue", "grossProfit", "cost"])
schemas["MarketingReport"] = S({"events": {"type": "array", "items": campaign}, "channels": {"type": "array", "items": campaign}}, ["events", "channels"])
op("/reports/partners/{id}/dossier", "get", "Client dossier: the partner, its live counterparties, current contact persons, open deals (without the deals feature: absent), the last 10 interactions (without the interactions feature: absent), sales of the last 12 months and the last two classification runs' results" + csv_note, "analytics",
   {**ok(ref("PartnerDossier")), **err("401","404")}, params=[idp])
schemas["PartnerDossier"] = S({"partner": ref("Partner"), "counterparties": {"type": "array", "items": ref("Counterparty")}, "contactPersons": {"type": "array", "items": ref("ContactPerson")},
                               "openDeals": {"type": "array", "items": ref("Deal")}, "lastInteractions": {"type": "array", "items": ref("Interaction")}, "salesByMonth": {"type": "array", "items": ref("SalesMonth")},
                               "salesLastYear": S({"revenue": num, "grossProfit": num, "salesCount": i}, ["revenue", "grossProfit", "salesCount"]), "classification": ref("PartnerClassification")},
                              ["partner", "counterparties", "contactPersons", "salesByMonth", "salesLastYear"])

crud("/segments", "Segment", "SegmentInput", "segments", [q("kind", d="manual, dynamic or periodic")], "admin, head, manager, marketer; feature segments")
op("/segments/{id}/members", "get", "The segment's members the user may see, by name (a dynamic segment's rule is evaluated now)", "segments",
   {**ok(page("SegmentMember")), **err("401","404","422")}, params=[idp] + paging)
op("/segments/{id}/members", "post", "Add partners to a manual segment (each must be a live partner the user may see; 422 partnerIds.N otherwise)", "segments",
   {**ok(ref("Segment")), **err("400","401","403","404","422")}, params=[idp], rb=body(S({"partnerIds": {"type": "array", "items": u}}, ["partnerIds"])))
op("/segments/{id}/members/{partnerId}", "delete", "Remove a partner from a manual segment", "segments",
   {**ok(ref("Segment")), **err("401","403","404","422")}, params=[idp, {"name": "partnerId", "in": "path", "required": True, "schema": u}])
op("/segments/{id}/refresh", "post", "Store a periodic segment's members as its rule gives them today (the server also does this daily)", "segments",
   {**ok(ref("Segment")), **err("401","403","404","422")}, params=[idp])
nb = {"type": ["boolean", "null"]}
ids_list = {"type": ["array", "null"], "items": u}
day = {"type": ["string", "null"], "format": "date"}
rule = S({"isClient": nb, "isSupplier": nb, "isCompetitor": nb, "kind": dict(ns, description="company or person"),
          "mainManagerIds": ids_list, "businessRegionIds": ids_list, "accessGroupIds": ids_list, "registeredFrom": day, "registeredTo": day,
          "classes": S({"measure": measures, "abc": {"type": ["array", "null"], "items": {"type": "string", "enum": ["A", "B", "C", "unclassified"]}},
                        "xyz": {"type": ["array", "null"], "items": {"type": "string", "enum": ["X", "Y", "Z", "unclassified"]}}}, ["measure"]),
          "sales": S({"lastDays": dict(i, description="1–3660; or from/to"), "from": day, "to": day, "minRevenue": money, "maxRevenue": money, "minDocuments": i}),
          "noSalesDays": dict(i, description="no sales document in the last N days"), "hasOpenDeals": nb,
          "interactionWithinDays": dict(i, description="an interaction with the partner or its contact persons in the last N days"),
          "noInteractionDays": dict(i, description="no interaction with the partner or its contact persons in the last N days")})
rule["description"] = "Every criterion given must hold; classes are those of the latest classification run; sales are net of returns"
seg_kind = {"type": "string", "enum": ["manual", "dynamic", "periodic"]}
schemas["Segment"] = S({"id": u, "name": s, "kind": seg_kind, "rule": rule, "stopList": dict(b, description="blocks new sales documents (not returns) to members"),
                        "comment": ns, "refreshedAt": {"type": ["string", "null"], "format": "date-time"}, "memberCount": i, "deletionMark": b, "version": i},
                       ["id", "name", "kind", "stopList", "deletionMark", "version"])
schemas["SegmentInput"] = S({"name": s, "kind": seg_kind, "rule": rule, "stopList": b, "comment": ns, "version": i})
schemas["SegmentMember"] = S({"partnerId": u, "code": ns, "name": s}, ["partnerId", "name"])
op("/reports/segments-compare", "get", "Segment comparison: per segment its partners (visible to the user), deals open/won/lost and their potential (deals started in the period), revenue, gross profit and sales documents (in the period), each also per partner (feature segments)" + csv_note, "analytics",
   {**ok(ref("SegmentComparison")), **err("401","404","422")}, params=[q("segmentIds", d="comma-separated ids, in the order to show; default: the first 20 live segments by name"), q("from", fmt="date"), q("to", fmt="date")])
seg_fig = S({k: num for k in ["dealsOpen", "dealsWon", "dealsLost", "potentialOpen", "potentialWon", "potentialLost", "revenue", "grossProfit", "salesCount"]})
schemas["SegmentComparison"] = S({"segments": {"type": "array", "items": S({"segmentId": u, "name": s, "kind": seg_kind, "partners": i, "totals": seg_fig,
                                                                           "perPartner": {"oneOf": [seg_fig, {"type": "null"}]}}, ["segmentId", "name", "kind", "partners", "totals"])}}, ["segments"])

crud("/interactions", "Interaction", "InteractionInput", "interactions",
     [q("reviewed", "boolean"), q("reviewDue", "boolean", "not reviewed and reviewAfter today or earlier"), q("type", d="meeting, planned, call, email or sms"),
      q("partnerId", fmt="uuid", d="the partner or one of its contact persons takes part"), q("contactPersonId", fmt="uuid"), q("subjectType", d="deal, event, claim or interaction"),
      q("subjectId", fmt="uuid"), q("responsibleId", fmt="uuid"), q("from", fmt="date", d="occurred on or after"), q("to", fmt="date")],
     "admin, head, manager, marketer; feature interactions; seen through the partner it belongs to (its first partner participant)")
op("/interactions/bulk", "post", "One action on up to 500 interactions the user may see, all or none; each change audited", "interactions",
   {**ok(S({"updated": i}, ["updated"])), **err("400","401","403","404","422")},
   rb=body(S({"ids": {"type": "array", "items": u}, "action": {"type": "string", "enum": ["markReviewed", "markUnreviewed", "postpone", "setSubject", "setResponsible"]},
              "reviewAfter": day, "subject": ref("InteractionSubject"), "responsibleId": nu}, ["ids", "action"])))
ts = {"type": ["string", "null"], "format": "date-time"}
schemas["InteractionSubject"] = S({"type": {"type": "string", "enum": ["deal", "event", "claim", "survey", "mailing", "interaction"]}, "id": u}, ["type", "id"])
inter_participant = S({"partnerId": nu, "contactPersonId": nu, "userId": nu, "name": ns, "address": dict(ns, description="a phone or an e-mail"),
                       "hidden": dict(nb, description="a participant of a partner the user may not see, shown as {\"hidden\":true} only; sent back so, or left out, it is kept")})
sms_recipient = S({"phone": s, "state": {"type": ["string", "null"], "enum": ["queued", "sending", "sent", "delivered", "failed", None],
                                          "description": "default queued (needs SMS_GATEWAY_URL); sent/delivered/failed record one sent elsewhere"}, "error": ns}, ["phone"])
inter_fields = {"type": {"type": "string", "enum": ["meeting", "planned", "call", "email", "sms"]}, "topic": s, "description": ns,
                "importance": {"type": "string", "enum": ["low", "normal", "high"]}, "responsibleId": nu, "basisId": dict(nu, description="the interaction this one answers: its subject is inherited"),
                "subject": ref("InteractionSubject"), "participants": {"type": "array", "items": inter_participant}, "reviewed": b, "reviewAfter": day,
                "start": ts, "end": ts, "place": ns, "plannedAt": ts, "incoming": nb, "phone": ns, "durationSeconds": {"type": ["integer", "null"]},
                "from": ns, "to": ns, "cc": ns, "bodyText": ns, "bodyHtml": ns,
                "status": {"type": ["string", "null"], "enum": ["draft", "queued", "sent", "failed", "received", None],
                           "description": "queued sends the letter through SMTP_URL (the sender makes it sent or failed, with error); draft, sent and received record a letter by hand; failed is never set by hand"},
                "text": ns, "transliterate": nb, "sendAt": ts, "validUntil": ts, "recipients": {"type": ["array", "null"], "items": sms_recipient}}
attachment_in = S({"id": dict(nu, description="one of the letter's files to keep as it is (then nothing else is needed)"), "filename": ns,
                   "contentType": dict(ns, description="default application/octet-stream"), "content": dict(ns, description="base64 (a new file)")})
attachment_out = S({"id": u, "filename": s, "contentType": s, "size": i}, ["id", "filename", "contentType", "size"])
schemas["Interaction"] = S(dict(inter_fields, id=u, authorId=nu, messageId=dict(ns, description="the letter's Message-ID, set when queued or received"),
                                attachments={"type": ["array", "null"], "items": attachment_out, "description": "a letter's files (e-mail only)"}, createdAt=ts, occurredAt=dict(ts, description="a meeting's start, a planned one's date, else when registered"),
                                partnerId=dict(nu, description="the partner it belongs to"), sentAt=ts, error=ns,
                                chain=S({"unreviewed": i, "lastAt": ts}, ["unreviewed"]), deletionMark=b, version=i),
                           ["id", "type", "topic", "importance", "subject", "participants", "reviewed", "occurredAt", "deletionMark", "version"])
schemas["InteractionInput"] = S(dict(inter_fields, version=i, attachments={"type": ["array", "null"], "items": attachment_in,
                                                                          "description": "a letter's files, at most 10 MB together; replaces them when given"}))
op("/interactions/{id}/attachments/{attachmentId}", "get", "A file of a letter, as sent or received, for download under its name", "interactions",
   {"200": {"description": "the file, with its content type and Content-Disposition: attachment", "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}},
    **err("401","404")}, params=[{"name": "id", "in": "path", "required": True, "schema": u}, {"name": "attachmentId", "in": "path", "required": True, "schema": u}])

op("/interactions/caller", "get", "Incoming call: the partners and contact persons (visible to the user) whose phone is this number, in any format", "interactions",
   {**ok(S({"phone": s, "matches": {"type": "array", "items": S({"partnerId": u, "partnerName": s, "contactPersonId": nu, "contactPersonName": ns}, ["partnerId", "partnerName"])}}, ["phone", "matches"])),
    **err("401","404","422")}, params=[dict(q("phone"), required=True)])
doc_ics = {"200": {"description": "RFC 5545 calendar (text/calendar)", "content": {"text/calendar": {"schema": {"type": "string"}}}}}
op("/interactions.ics", "get", "Meetings and planned interactions of a responsible (default: the user) from 90 days back to a year ahead as iCalendar; with ?key= of a calendar link no header is needed", "interactions",
   {**doc_ics, **err("401","404","422")}, params=[q("responsibleId", fmt="uuid"), q("key", d="the secret of the user's calendar link (opens this feed only)")])
doc_eml = {"required": True, "content": {"message/rfc822": {"schema": {"type": "string"}}, "text/plain": {"schema": {"type": "string"}}}}
op("/inbound/email", "post", "A received letter, raw RFC 822 (MIME, any charset and transfer encoding, attachments), from a mail server's pipe or an inbound webhook: "
   "registered as an incoming e-mail interaction of the contact person or partner with the sender's address, threaded by In-Reply-To/References into the chain of the letter it answers. "
   "Authorization: Bearer with the secret SDELKA_INBOUND_TOKEN, or a user's token. 201 registered; 200 the same Message-ID was registered before (answers that one, or only {\"duplicate\":true} to a user who may not see it). "
   "At most 50 levels of MIME nesting and 500 parts (422)", "interactions",
   {**ok({"oneOf": [ref("Interaction"), S({"duplicate": b}, ["duplicate"])]}), **ok(ref("Interaction"), "201", "Registered"), **err("401","403","404","413","422")}, rb=doc_eml)
op("/inbound/unknown-senders", "get", "Senders of received letters that belong to no partner, the latest first: to register as partners (with a primary-interest record) or attach", "interactions",
   {**ok(page("UnknownSender")), **err("401","404","422")}, params=paging)
schemas["UnknownSender"] = S({"address": s, "name": ns, "letters": i, "lastAt": {"type": "string", "format": "date-time"}, "lastTopic": s},
                             ["address", "letters", "lastAt", "lastTopic"])
op("/inbound/unknown-senders/link", "post", "Attach every unattached received letter from the address to a partner (and a contact person of it); each change audited", "interactions",
   {**ok(S({"updated": i}, ["updated"])), **err("400","401","403","404","422")},
   rb=body(S({"address": s, "partnerId": u, "contactPersonId": nu}, ["address", "partnerId"])))
op("/me/calendar-link", "post", "A new secret calendar link for the user (older ones stop working)", "me", {**ok(S({"url": s}, ["url"]), "201", "Created"), **err("401")})
op("/me/calendar-link", "delete", "Revoke the user's calendar links", "me", {"204": {"description": "Revoked"}, **err("401")})


# Claims (DOMAIN.md §7), behind the claims switch.
claim_status = {"type": "string", "enum": ["registered", "inProcess", "satisfied", "notSatisfied"]}
claim_basis = S({"type": {"type": "string", "enum": ["sale", "deal", "interaction"]}, "id": u}, ["type", "id"])
date = {"type": "string", "format": "date"}; ndate = {"type": ["string", "null"], "format": "date"}
claim_fields = {"number": s, "date": date, "partnerId": u, "counterpartyId": nu, "contactPersonId": nu, "amount": money,
                "basis": {"oneOf": [claim_basis, {"type": "null"}]}, "causeId": nu, "departmentId": nu, "guiltyUserId": nu,
                "description": s, "responsibleId": nu}
schemas["Claim"] = S(dict(claim_fields, id=u, status=claim_status, result=ns, settledAmount=money, closedOn=ndate, deletionMark=b, version=i),
                     ["id", "number", "date", "partnerId", "description", "status", "deletionMark", "version"])
schemas["ClaimInput"] = S(dict(claim_fields, version=i))
schemas["ClaimStatusInput"] = S({"status": claim_status, "result": s, "settledAmount": {"type": "number", "minimum": 0}, "closedOn": date, "version": i}, ["status"])
claims_who = "admin, head, manager, marketer; feature claims; through the partner's access group"
crud("/claims", "Claim", "ClaimInput", "claims", [q("partnerId", fmt="uuid"), q("status", d="registered, inProcess, satisfied, notSatisfied"), q("open", "boolean", "open (registered or in process) or closed"),
     q("causeId", fmt="uuid"), q("departmentId", fmt="uuid"), q("responsibleId", fmt="uuid"), q("basisId", fmt="uuid", d="claims resting on this sale, deal or interaction"),
     q("from", fmt="date", d="claim date from…"), q("to", fmt="date", d="…to, inclusive")], claims_who)
op("/claims/{id}/status", "post", "Move the claim: registered → inProcess → satisfied | notSatisfied; a closed claim is reopened to inProcess. Closing records result, settledAmount and closedOn (today by default); the responsible is given a planned contact when the claim is registered or handed over (" + claims_who + ")", "claims",
   {**ok(ref("Claim")), **err("400","401","403","404","409","422")}, params=[idp], rb=body(ref("ClaimStatusInput")))
crud("/claim-causes", "Catalog", "CatalogInput", "claim-causes", [], "admin, head, marketer; feature claims")
crud("/claim-departments", "Catalog", "CatalogInput", "claim-departments", [], "admin, head, marketer; feature claims")
claims_group = S({"key": ns, "name": s, "count": i, "amount": {"type": "number"}, "settledAmount": {"type": "number"},
                  "satisfiedShare": {"type": ["number", "null"], "description": "percent of the closed claims that were satisfied, two decimals"},
                  "meanDaysToClose": {"type": ["number", "null"]}, "open": i, "satisfied": i, "notSatisfied": i},
                 ["key", "name", "count", "amount", "settledAmount", "satisfiedShare", "meanDaysToClose", "open"])
schemas["ClaimsReport"] = S({"groupBy": s, "groups": {"type": "array", "items": claims_group}, "total": claims_group}, ["groupBy", "groups", "total"])
op("/reports/claims", "get", "Claims of the period (by their date) grouped by cause, guilty party (the department, else the employee), partner, month or product (every product of the sales document a claim rests on): count, amount claimed and settled, satisfied share of those closed, mean days to close, open (feature claims)" + csv_note, "analytics",
   {**ok(ref("ClaimsReport")), **err("401","404","422")}, params=[q("groupBy", d="cause (default), guilty, partner, month, product"), q("from", fmt="date"), q("to", fmt="date")])


# Surveys (DOMAIN.md §7), behind the surveys switch.
answer_types = {"type": "string", "enum": ["string", "text", "number", "date", "boolean", "oneOf", "severalOf", "reference", "scale"]}
question_props = {"id": s, "order": i, "text": s, "kind": {"type": "string", "enum": ["simple", "conditional", "table", "complex"]}, "answerType": answer_types,
                  "required": b, "options": {"type": ["array", "null"], "items": s}, "min": {"type": ["number", "null"]}, "max": {"type": ["number", "null"]},
                  "condition": {"oneOf": [S({"questionId": s, "values": {"type": "array", "items": s}}, ["questionId", "values"]), {"type": "null"}]},
                  "rows": {"type": ["array", "null"], "items": s}, "columns": {"type": ["array", "null"], "items": s},
                  "parts": {"type": ["array", "null"], "items": S({"id": s, "order": i, "text": s, "answerType": answer_types, "required": b}, ["id", "text", "answerType"])}}
schemas["SurveyQuestion"] = S(question_props, ["id", "text", "answerType"])
schemas["SurveyTemplate"] = S({"id": u, "name": s, "description": ns, "questions": {"type": "array", "items": ref("SurveyQuestion")}, "deletionMark": b, "version": i},
                              ["id", "name", "questions", "deletionMark", "version"])
schemas["SurveyTemplateInput"] = S({"name": s, "description": s, "questions": {"type": "array", "items": ref("SurveyQuestion"), "maxItems": 200}, "version": i})
respondents = S({"segmentId": u, "eventId": u, "partnerIds": {"type": "array", "items": u}, "contactPersonIds": {"type": "array", "items": u}})
survey_status = {"type": "string", "enum": ["draft", "active", "closed"]}
schemas["Survey"] = S({"id": u, "name": s, "templateId": u, "from": ndate, "to": ndate, "status": survey_status, "respondents": respondents, "deletionMark": b, "version": i},
                      ["id", "name", "templateId", "status", "respondents", "deletionMark", "version"])
schemas["SurveyInput"] = S({"name": s, "templateId": u, "from": date, "to": date, "respondents": respondents, "version": i})
schemas["Questionnaire"] = S({"id": u, "partnerId": u, "contactPersonId": nu, "status": {"type": "string", "enum": ["invited", "answered"]},
                              "link": {"type": "string", "description": "the absolute public address /s/{token}"}, "answeredAt": ts, "answers": {"type": ["object", "null"]}},
                             ["id", "partnerId", "status", "link"])
surveys_who = "admin, head, manager, marketer; feature surveys"
crud("/survey-templates", "SurveyTemplate", "SurveyTemplateInput", "surveys", [], surveys_who + "; a template a started survey uses may gain questions, not lose or retype them (409 template_in_use)")
crud("/surveys", "Survey", "SurveyInput", "surveys", [q("status", d="draft, active, closed")], surveys_who)
op("/surveys/{id}/start", "post", "Start a draft: the template's questions are kept and every respondent the user may see gets a questionnaire with a personal link (" + surveys_who + ")", "surveys",
   {**ok(S({"survey": ref("Survey"), "questionnaires": i}, ["survey", "questionnaires"])), **err("401","403","404","409","422")}, params=[idp, q("version", "integer")])
op("/surveys/{id}/close", "post", "Close an active survey: its links stop working (" + surveys_who + ")", "surveys",
   {**ok(ref("Survey")), **err("401","403","404","409")}, params=[idp, q("version", "integer")])
op("/surveys/{id}/invite", "post", "Send the links to those not yet answered by e-mail or SMS through the outbox; every message is an interaction (" + surveys_who + ")", "surveys",
   {**ok(S({"sent": i, "skipped": i}, ["sent", "skipped"])), **err("400","401","403","404","409","422")}, params=[idp],
   rb=body(S({"channel": {"type": "string", "enum": ["email", "sms"]}}, ["channel"])))
op("/surveys/{id}/questionnaires", "get", "The survey's questionnaires of the partners the user may see, with their links; Accept: text/csv gives respondent, e-mail, phone, status and link", "surveys",
   {**ok(page("Questionnaire")), **err("401","404","422")}, params=[idp, q("status", d="invited, answered")] + paging)
op("/surveys/{id}/questionnaires/{qid}/answers", "put", "A manager's interview: the answers (a table's as {row: {column: value}}); checked against the questions; the first is recorded as a meeting (" + surveys_who + ")", "surveys",
   {**ok(ref("Questionnaire")), **err("400","401","403","404","409","422")},
   params=[idp, {"name": "qid", "in": "path", "required": True, "schema": {"type": "string", "format": "uuid"}}],
   rb=body(S({"answers": {"type": "object"}}, ["answers"])))
stat = S({"value": s, "count": i, "share": {"type": "number", "description": "percent of those who answered"}}, ["value", "count", "share"])
result_props = {"answers": i, "options": {"type": ["array", "null"], "items": stat}, "mean": {"type": ["number", "null"]}, "median": {"type": ["number", "null"]},
                "min": {"type": ["number", "null"]}, "max": {"type": ["number", "null"]}, "nps": {"type": ["number", "null"]}, "texts": {"type": ["array", "null"], "items": s}}
cell_result = S(dict(result_props, cell=s), ["cell", "answers"])
schemas["SurveyReport"] = S({"invited": i, "answered": i, "responseRate": {"type": "number"},
                             "questions": {"type": "array", "items": S(dict(result_props, questionId=s, text=s, cells={"type": ["array", "null"], "items": cell_result}), ["questionId", "answers"])}},
                            ["invited", "answered", "responseRate", "questions"])
op("/reports/surveys/{id}", "get", "Results per question: answers, options' counts and shares, mean/median/min/max, NPS of a 0–10 scale (promoters 9–10 minus detractors 0–6, in points), up to 50 free-text answers; a table per cell. Questionnaires of the partners the user may see, narrowed by segment, ABC/XYZ class by revenue, region or manager (feature surveys)" + csv_note, "analytics",
   {**ok(ref("SurveyReport")), **err("401","404","422")}, params=[idp, q("segmentId", fmt="uuid"), q("abc", d="A, B, C"), q("xyz", d="X, Y, Z"), q("businessRegionId", fmt="uuid"), q("mainManagerId", fmt="uuid")])

# Mailings (DOMAIN.md §7), behind the mailings switch.
mailing_channel = {"type": "string", "enum": ["email", "sms", "emailOrSms"]}
mailing_status = {"type": "string", "enum": ["draft", "scheduled", "sending", "done", "cancelled", "active", "paused"]}
uuids = {"type": "array", "items": u, "maxItems": 10000}
audience = S({"segmentId": u, "eventId": u, "eventAttendance": {"type": "string", "enum": ["all", "invited", "attended"]}, "surveyId": u,
              "surveyRespondents": {"type": "string", "enum": ["all", "unanswered"]}, "partnerIds": uuids, "contactPersonIds": uuids,
              "extraAddresses": {"type": "array", "items": s, "maxItems": 10000}, "whom": {"type": "string", "enum": ["partner", "contactPersons", "all"]}, "roleId": u})
trigger = S({"event": {"type": "string", "enum": ["dealWon", "dealStage", "partnerCreated", "birthday", "saleShipped", "claimClosed", "surveyAnswered"]},
             "dealKindId": u, "stageId": u, "delayMinutes": {"type": "integer", "minimum": 0, "maximum": 525600}})
mailing_stats = S({"recipients": i, "sent": i, "failed": i, "skipped": i, "queued": i}, ["recipients", "sent", "failed", "skipped"])
placeholders_note = "placeholders {{partner.name}}, {{contact.name}}, {{contact.firstName}}, {{manager.name}}, {{manager.phone}}, {{deal.name}}, {{deal.amount}}, {{survey.link}}, {{unsubscribe.link}}; any other is refused"
mailing_fields = {"name": s, "channel": mailing_channel, "topicId": u, "subject": dict(s, description=placeholders_note), "text": dict(s, description=placeholders_note),
                  "html": ns, "sender": ns, "audience": audience, "mode": {"type": "string", "enum": ["planned", "event"]}, "sendAt": ts, "validUntil": ts,
                  "trigger": {"oneOf": [trigger, {"type": "null"}]}}
mailing_file = S({"id": u, "filename": s, "contentType": s, "size": i}, ["id", "filename", "contentType", "size"])
mailing_file_input = S({"id": dict(u, description="a file of the mailing to keep"), "filename": s, "contentType": s, "content": dict(s, description="base64")})
schemas["Mailing"] = S(dict(mailing_fields, attachments={"type": "array", "items": mailing_file}, id=u, status=mailing_status, stats=mailing_stats, ownerId=nu, startedAt=ts, finishedAt=ts, deletionMark=b, version=i),
                       ["id", "name", "channel", "subject", "text", "audience", "mode", "status", "stats", "deletionMark", "version"])
schemas["MailingInput"] = S(dict(mailing_fields, attachments={"type": "array", "items": mailing_file_input, "maxItems": 20,
                                 "description": "the whole list: new files with content, kept ones by id; every letter carries them (10 MB together)"}, version=i))
schemas["MailingRecipient"] = S({"id": u, "address": ns, "channel": ns, "partnerId": nu, "contactPersonId": nu,
                                 "status": {"type": "string", "enum": ["queued", "sent", "failed", "skipped"]},
                                 "reason": dict(ns, description="why skipped: unsubscribed, noAddress, stopList, markedForDeletion, duplicateAddress, expired, cancelled; or the error of a failed one"),
                                 "interactionId": nu, "occurrence": ns, "dueAt": ts}, ["id", "status", "dueAt"])
schemas["MailingPreview"] = S({"recipients": i, "excluded": {"type": "array", "items": S({"address": ns, "partnerId": nu, "contactPersonId": nu, "reason": s}, ["reason"])},
                               "excludedTotal": i, "sample": {"oneOf": [S({"address": ns, "subject": s, "text": s, "html": ns}, ["subject", "text"]), {"type": "null"}]}},
                              ["recipients", "excluded"])
schemas["MailingResults"] = S({"recipients": i, "sent": i, "failed": i, "skipped": i, "queued": i, "skippedByReason": {"type": "object", "additionalProperties": i},
                               "unsubscribedAfter": i, "replies": i, "days": i, "deals": i, "dealsAmount": {"type": "number"}, "revenue": {"type": "number"}},
                              ["recipients", "sent", "failed", "skipped", "unsubscribedAfter", "replies", "deals", "revenue"])
schemas["Subscription"] = S({"address": s, "topicId": u, "subscribed": b, "unsubscribable": b}, ["address", "topicId", "subscribed"])
mailings_who = "admin, head, manager, marketer; feature mailings"
crud("/mailings", "Mailing", "MailingInput", "mailings", [q("status", d="draft, scheduled, sending, done, cancelled, active, paused"), q("mode", d="planned, event")],
     mailings_who + "; only a draft or a paused mailing is changed (409 mailing_not_editable); whom it reaches follows its owner's access groups")
version_param = q("version", "integer", "expected version")
op("/mailings/{id}/preview", "post", "Whom the mailing would reach now (count), who is left out and why (unsubscribed, noAddress, stopList, markedForDeletion, duplicateAddress; the first 200), and the letter one recipient would get; partnerId chooses the sample (and names the partner of an event rule's example)", "mailings",
   {**ok(ref("MailingPreview")), **err("400","401","404","422")}, params=[idp], rb={"required": False, "content": {"application/json": {"schema": S({"partnerId": u})}}})
op("/mailings/{id}/schedule", "post", "A draft planned mailing waits for sendAt (now when empty), then gets its recipients (dynamic segments evaluated then) and sends through the outbox; a draft event mailing becomes active and serves events from now on (" + mailings_who + ")", "mailings",
   {**ok(ref("Mailing")), **err("401","403","404","409","422")}, params=[idp, version_param])
op("/mailings/{id}/cancel", "post", "Stop the mailing; recipients not yet handed to the outbox are skipped as cancelled (" + mailings_who + ")", "mailings", {**ok(ref("Mailing")), **err("401","403","404","409")}, params=[idp, version_param])
op("/mailings/{id}/pause", "post", "Pause a scheduled, sending or active mailing (" + mailings_who + ")", "mailings", {**ok(ref("Mailing")), **err("401","403","404","409")}, params=[idp, version_param])
op("/mailings/{id}/resume", "post", "Resume a paused mailing; an event rule serves events from now on (" + mailings_who + ")", "mailings", {**ok(ref("Mailing")), **err("401","403","404","409")}, params=[idp, version_param])
op("/mailings/{id}/recipients", "get", "Per recipient: address, partner, status, reason and the interaction of the message (partners the user may see)", "mailings",
   {**ok(page("MailingRecipient")), **err("401","404","422")}, params=[idp, q("status", d="queued, sent, failed, skipped")] + paging)
op("/reports/mailings/{id}", "get", "What the mailing achieved: figures, skipped by reason, unsubscribed through its letters, replies, and deals opened and revenue of the partners it reached within days of its start (feature mailings)", "analytics",
   {**ok(ref("MailingResults")), **err("401","404","422")}, params=[idp, {"name": "days", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 1, "maximum": 366}, "description": "1–366, default 30"}])
crud("/mailing-topics", "Catalog", "CatalogInput", "mailing-topics", [], "admin, head, marketer; feature mailings; unsubscribable false makes a service topic nobody leaves")
subs = {"type": "array", "items": ref("Subscription"), "maxItems": 1000}
for base, who in [("/partners/{id}/subscriptions", "partner"), ("/contact-persons/{id}/subscriptions", "contact person")]:
    op(base, "get", f"Each e-mail and phone of the {who} by each mailing topic: subscribed or not (feature mailings)", "mailings", {**ok(subs), **err("401","404")}, params=[idp])
    op(base, "put", f"Set what the {who}'s addresses receive; recorded in the history; a service topic cannot be turned off (feature mailings)", "mailings",
       {**ok(subs), **err("400","401","403","404","422")}, params=[idp], rb=body(subs))

# Competitive intelligence (DOMAIN.md §7), behind the competitorIntel switch.
cp_fields = {"competitorId": u, "productId": u, "date": date, "price": money, "currency": {"type": "string", "pattern": "^[A-Za-z]{3}$"}, "unit": ns,
             "sourceId": nu, "dealId": nu, "interactionId": nu, "note": ns}
schemas["CompetitorPrice"] = S(dict(cp_fields, id=u, recordedBy=nu, attachments={"type": "array", "items": mailing_file}, deletionMark=b, version=i),
                               ["id", "competitorId", "productId", "date", "price", "currency", "deletionMark", "version"])
schemas["CompetitorPriceInput"] = S(dict(cp_fields, attachments={"type": "array", "items": mailing_file_input, "maxItems": 10}, version=i))
note_kind = {"type": "string", "enum": ["strength", "weakness"]}
schemas["CompetitorNote"] = S({"id": u, "competitorId": u, "date": date, "kind": note_kind, "text": s, "authorId": nu, "deletionMark": b, "version": i},
                              ["id", "competitorId", "date", "kind", "text", "deletionMark", "version"])
schemas["CompetitorNoteInput"] = S({"competitorId": u, "date": date, "kind": note_kind, "text": s, "version": i})
ci_who = "admin, head, manager, marketer; feature competitorIntel; company-wide reference data"
CREATE_REQUIRED["/competitor-prices"] = ["competitorId", "productId", "price"]
CREATE_REQUIRED["/competitor-notes"] = ["competitorId", "kind", "text"]
crud("/competitor-prices", "CompetitorPrice", "CompetitorPriceInput", "competitors",
     [q("competitorId", fmt="uuid"), q("productId", fmt="uuid", d="a product's price history"), q("sourceId", fmt="uuid"), q("from", fmt="date"), q("to", fmt="date")],
     ci_who + "; the competitor is a partner flagged as one")
crud("/competitor-notes", "CompetitorNote", "CompetitorNoteInput", "competitors", [q("competitorId", fmt="uuid")], ci_who + "; a dated strength or weakness")
crud("/competitor-price-sources", "Catalog", "CatalogInput", "competitor-price-sources", [], "admin, head, marketer; feature competitorIntel")
cmp_line = S({"competitorId": u, "name": s, "price": {"type": "number"}, "currency": s, "date": date, "ageDays": i, "difference": {"type": ["number", "null"]},
              "differencePercent": {"type": ["number", "null"]}, "cheapest": b, "dearest": b}, ["competitorId", "price", "date", "difference", "differencePercent"])
schemas["PriceComparison"] = S({"date": date, "items": {"type": "array", "items": S({"productId": u, "sku": s, "name": s, "ourPrice": {"type": ["number", "null"]},
                                "ourPosition": {"type": "string", "enum": ["cheapest", "dearest", "between", "alone", "unknown"]},
                                "competitors": {"type": "array", "items": cmp_line}}, ["productId", "sku", "ourPrice", "competitors"])}}, ["date", "items"])
op("/reports/price-comparison", "get", "For each product, each competitor's latest price on or before the date against ours: difference in money and in percent of ours (two decimals), cheapest and dearest, the observation's age; prices in other currencies are shown, not compared (feature competitorIntel)" + csv_note, "analytics",
   {**ok(ref("PriceComparison")), **err("401","404","422")},
   params=[q("date", fmt="date", d="default today"), q("productGroupId", fmt="uuid", d="the group and the groups below it"), q("productIds", d="comma-separated product ids"), q("competitorId", fmt="uuid")])
schemas["CompetitorsReport"] = S({"from": date, "to": date, "items": {"type": "array", "items": S({"competitorId": u, "name": s, "dealsMet": i, "wonByUs": i, "lostToThem": i,
                                  "amountLost": {"type": "number"}, "winRate": {"type": ["number", "null"], "description": "won ÷ (won + lost to them), percent"},
                                  "productsObserved": i, "meanPriceDifferencePercent": {"type": ["number", "null"]}},
                                 ["competitorId", "name", "dealsMet", "wonByUs", "lostToThem", "amountLost", "winRate"])}}, ["from", "to", "items"])
op("/reports/competitors", "get", "Per competitor, the deals started in the period it took part in (of partners the user may see): met, won by us, lost to it, amount lost, our win rate against it; products it was observed with and the mean difference of its prices from ours (feature competitorIntel)" + csv_note, "analytics",
   {**ok(ref("CompetitorsReport")), **err("401","404","422")}, params=[q("from", fmt="date", d="default: the first day of the month eleven months before to"), q("to", fmt="date", d="default today")])

schemas["ImportReport"] = S({"created": i, "updated": i, "errors": {"type": "array", "items": S({"line": i, "column": s, "message": s}, ["line", "column", "message"])}}, ["created", "updated", "errors"])
responses = {f"E{c}": {"description": d, "content": {"application/json": {"schema": ref("Error")}}} for c, d in
  {"400": "Malformed request (code malformed_request)", "401": "Not signed in, or the token expired (unauthorized, invalid_credentials)", "403": "The role does not allow this (forbidden)",
   "404": "No such object (not_found), or the part is switched off (feature_disabled)", "409": "version_conflict, or a domain rule such as last_admin", "413": "payload_too_large", "422": "validation_failed, with fields", "429": "too_many_attempts"}.items()}
doc = {"openapi": "3.1.0",
       "info": {"title": "Sdelka API", "version": "1.0.0", "description": "Sdelka CRM server. Errors are {\"error\":{\"code\",\"message\",\"fields\"}}. Every object carries version; deletions are marks."},
       "servers": [{"url": "/api/v1"}],
       "security": [{"bearer": []}],
       "paths": paths,
       "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}, "schemas": schemas, "responses": responses}}
# What the server accepts, stated where the generic builders above cannot: bounded dates and
# amounts, non-blank bounded names, the shapes of registration numbers.
DATE_PATTERN = "^(19[0-9]{2}|[2-9][0-9]{3})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
MONEY = {"price", "amount", "cost", "potentialAmount", "budget", "actualCost", "minRevenue", "maxRevenue", "settledAmount"}
TEXT_LIMITS = {"name": 200, "code": 64, "sku": 100, "unit": 20, "login": 64, "number": 50, "reverseName": 200, "topic": 500}
PATTERNS = {"inn": "^([0-9]{10}|[0-9]{12})$", "kpp": "^[0-9]{4}[0-9A-Z]{2}[0-9]{3}$", "ogrn": "^([0-9]{13}|[0-9]{15})$"}
def constrain(node, inputs):
    if isinstance(node, list):
        for item in node: constrain(item, inputs)
        return
    if not isinstance(node, dict): return
    types = node.get("type")
    types = types if isinstance(types, list) else [types]
    if node.get("format") == "date" and "string" in types: node.setdefault("pattern", DATE_PATTERN)
    props = node.get("properties")
    if isinstance(props, dict) and inputs:
        for name, spec in props.items():
            if not isinstance(spec, dict): continue
            spec = props[name] = dict(spec)  # the builders share one dict among many fields
            kinds = spec.get("type") if isinstance(spec.get("type"), list) else [spec.get("type")]
            if name in MONEY and "number" in kinds:
                spec.setdefault("minimum", -999999999999.99); spec.setdefault("maximum", 999999999999.99); spec.setdefault("multipleOf", 0.01)
            if name == "quantity" and "number" in kinds:
                spec.update({"minimum": -999999999999.999, "maximum": 999999999999.999, "multipleOf": 0.001})
            if name in TEXT_LIMITS and kinds == ["string"] and "format" not in spec and "enum" not in spec:
                spec.update({"minLength": 1, "maxLength": TEXT_LIMITS[name], "pattern": "\\S"})
            if name in PATTERNS and "string" in kinds: spec["pattern"] = PATTERNS[name]
    for key, value in node.items():
        constrain(value, inputs or (key == "requestBody"))
for schema_name, schema in schemas.items():
    constrain(schema, schema_name.endswith("Input") or schema_name in ("Features", "ClassificationSettings", "SalesSettings"))
constrain(paths, False)
import pathlib
json.dump(doc, open(pathlib.Path(__file__).resolve().parent.parent / "Resources/openapi.json", "w"), indent=1, ensure_ascii=False)
print(len(paths))
