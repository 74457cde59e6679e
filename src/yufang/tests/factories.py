"""factory_boy factories over the real reference data (loaded once per test database)."""

from __future__ import annotations

from typing import Any

import factory

from yufang.accounts.models import Role, User
from yufang.enterprises.models import Enterprise, EnterpriseSize, InsuredHeadcount
from yufang.industries.models import Industry
from yufang.lib.identifiers import credit_code_check_character
from yufang.organisations.models import Department, Institution
from yufang.regions.models import Grid, Region

TEST_PASSWORD = "correct horse battery staple"


def region(code: str) -> Region:
    return Region.objects.get(code=code)


def industry(code: str) -> Industry:
    return Industry.objects.get(code=code)


def valid_credit_code(n: int, region_code: str = "370211") -> str:
    body = f"91{region_code}{n:09d}"
    return body + credit_code_check_character(body)


class GridFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Grid

    township = factory.LazyFunction(lambda: region("370211001"))
    code = factory.Sequence(lambda n: f"T{n:08d}")
    name = factory.Sequence(lambda n: f"测试网格{n}")
    county = factory.LazyAttribute(lambda o: o.township.county)
    city = factory.LazyAttribute(lambda o: o.township.city)


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    credit_code = factory.Sequence(lambda n: valid_credit_code(n + 1))
    name = factory.Sequence(lambda n: f"测试企业{n}有限公司")
    county = factory.LazyFunction(lambda: region("370211"))
    city = factory.LazyAttribute(lambda o: o.county.city)
    township = None
    grid = None
    industry = factory.LazyFunction(lambda: industry("2614"))
    risk_class = 6
    size = EnterpriseSize.SMALL
    is_key_industry = True


class HeadcountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InsuredHeadcount

    enterprise = factory.SubFactory(EnterpriseFactory)
    year = 2024
    insured_headcount = 100


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution

    name = factory.Sequence(lambda n: f"测试培训机构{n}")
    credit_code = factory.Sequence(lambda n: valid_credit_code(n + 500000, "370200"))
    kind = Institution.Kind.TRAINING
    city = factory.LazyFunction(lambda: region("370200"))


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("region", "code")

    code = Department.Code.EMERGENCY
    region = factory.LazyFunction(lambda: region("370200"))
    name = "应急管理局"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    role = Role.PROVINCE_OFFICIAL
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save(obj: User, create: bool, extracted: Any, **kwargs: Any) -> None:  # noqa: N805
        if create:
            obj.save()


def persona(role: str, **scope: Any) -> User:
    """A user of a role with its scope, e.g. persona("city", region=region("370200"))."""
    return UserFactory(role=role, **scope)
