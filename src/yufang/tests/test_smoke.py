from __future__ import annotations

import pytest

from yufang.accounts.models import Role

# Roles whose working day a module holds land on its page (support.landing).
LANDINGS = {
    Role.GRID_WORKER: "/field/",
    Role.SAFETY_MANAGER: "/portal/",
    Role.DEPARTMENT_LIAISON: "/council/",
}


@pytest.mark.django_db
def test_every_role_reaches_its_home_page(client, world):
    for role, user in world.people.items():
        client.force_login(user)
        response = client.get("/", follow=True)
        assert response.status_code == 200, role
        assert response.request["PATH_INFO"] == LANDINGS.get(role, "/"), role
        assert "Content-Security-Policy" in response
        client.logout()


def test_reference_data_is_loaded(db):
    from yufang.regions.models import Region

    assert Region.objects.filter(level=Region.Level.CITY).count() == 16
    assert Region.objects.filter(level=Region.Level.TOWNSHIP).count() == 1853
    assert Role.CITY_OFFICIAL == "city"
