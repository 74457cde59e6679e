from __future__ import annotations

import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PROVINCE_OFFICIAL = "province", _("province official")
    CITY_OFFICIAL = "city", _("city official")
    COUNTY_OFFICIAL = "county", _("county official")
    GRID_WORKER = "grid_worker", _("grid worker")
    SAFETY_MANAGER = "safety_manager", _("enterprise safety manager")
    INSTITUTION_STAFF = "institution", _("institution staff")
    DEPARTMENT_LIAISON = "liaison", _("department liaison")
    WORKER = "worker", _("worker / trainee")
    AUDITOR = "auditor", _("auditor")
    ADMIN = "admin", _("system administrator")


class User(AbstractUser):
    """A person who signs in. Each account has one role bound to one scope.

    The scope field a role needs is enforced by the database (see constraints).
    """

    phone = models.CharField(_("mobile phone"), max_length=20, unique=True, null=True, blank=True)
    full_name = models.CharField(_("full name"), max_length=100, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.WORKER)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    grid = models.ForeignKey(
        "regions.Grid",
        verbose_name=_("grid"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    institution = models.ForeignKey(
        "organisations.Institution",
        verbose_name=_("institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    department = models.ForeignKey(
        "organisations.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                name="user_role_has_scope",
                condition=(
                    Q(role__in=["province", "auditor", "admin"])
                    | Q(role__in=["city", "county"], region__isnull=False)
                    | Q(role="grid_worker", grid__isnull=False)
                    | Q(role="safety_manager", enterprise__isnull=False)
                    | Q(role="institution", institution__isnull=False)
                    | Q(role="liaison", department__isnull=False)
                    | Q(role="worker")
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username


class ApiToken(models.Model):
    """A bearer token for API clients. Only its SHA-256 digest is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.user} token {self.created_at:%Y-%m-%d}"

    @staticmethod
    def digest_of(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()
