"""A refused or missing page answers in the user's language, inside the platform's frame,
with a way back: never Django's bare English "403 Forbidden" or "Not Found"."""

from __future__ import annotations

import pytest

from yufang.accounts.models import Role


@pytest.mark.django_db
def test_a_refused_page_says_why_in_chinese(client, world):
    client.force_login(world.people[Role.WORKER])
    response = client.get("/grid/")
    assert response.status_code == 403
    page = response.content.decode()
    assert 'data-testid="error-403"' in page
    assert "无权访问" in page
    assert "只有工作人员可以查看网格排查覆盖情况。" in page
    assert "返回首页" in page


@pytest.mark.django_db
def test_a_missing_record_says_so_without_naming_the_query(client, world):
    client.force_login(world.people[Role.CITY_OFFICIAL])
    response = client.get("/enterprises/999999999/")
    assert response.status_code == 404
    page = response.content.decode()
    assert 'data-testid="error-404"' in page
    assert "没有这个页面或记录，或者它不在您的工作范围内。" in page
    assert "matches the given query" not in page


def test_the_server_error_page_needs_no_context():
    from django.template import loader

    page = loader.get_template("500.html").render()
    assert "服务器错误" in page and "Server error" in page
