from tests import factories as base
from tests.intake import factories

def test_smoke(client, db):
    user = base.user_in_group("Équipe", "agent")
    factories.intake_request()
    client.force_login(user)
    r = client.get("/admin/rapports/")
    assert r.status_code == 200, r.content[:3000]
    open("/tmp/rep/page.html","wb").write(r.content)
    r = client.get("/admin/rapports/export/issues/csv/?periode=12-mois")
    print(b"".join(r.streaming_content).decode())
    r = client.get("/admin/rapports/export/issues/xlsx/?periode=12-mois")
    assert r.status_code == 200
