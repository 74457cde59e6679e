"""Certificates and their public verification."""

from typing import Any

from django.http import HttpRequest
from django_ratelimit.decorators import ratelimit
from ninja import Status

from yufang.support.bounds import paginated
from yufang.support.ratelimits import client_address
from yufang.training import selectors as sel
from yufang.training import services as svc
from yufang.training.api.common import (
    router,
)
from yufang.training.api.schemas import (
    CertificateOut,
    EnrollmentReasonIn,
    VerificationOut,
)
from yufang.training.models import (
    Certificate,
)


@router.get("/certificates", response=list[CertificateOut])
@paginated(50)
def certificates(request: HttpRequest, expiring: bool = False):  # type: ignore[no-untyped-def]
    if expiring:
        return sel.certificates_expiring(request.user)
    return sel.certificates_visible(request.user)


@router.get("/certificates/verify/{code}", response={200: VerificationOut, 404: dict}, auth=None)
@ratelimit(key=client_address, rate="120/m", block=True)
def certificate_verify(request: HttpRequest, code: str) -> Any:
    """Public: check a certificate by its number (the QR code on the PDF)."""
    certificate = sel.certificate_by_code(code)
    if certificate is None:
        return Status(404, {"detail": "No certificate has this number."})
    return {
        "code": certificate.code,
        "name": certificate.trainee.name[:1] + "**",
        "id_number": certificate.trainee.id_masked,
        "title": certificate.title,
        "issued_on": certificate.issued_on,
        "expires_on": certificate.expires_on,
        "status": sel.certificate_status(certificate),
    }


@router.get("/certificates/{certificate_id}", response=CertificateOut)
def certificate_detail(request: HttpRequest, certificate_id: int) -> Certificate:
    return sel.certificate_get(request.user, certificate_id)


@router.post("/certificates/{certificate_id}/revoke", response=CertificateOut)
def certificate_revoke(
    request: HttpRequest, certificate_id: int, payload: EnrollmentReasonIn
) -> Certificate:
    certificate = sel.certificate_get(request.user, certificate_id)
    return svc.certificate_revoke(
        actor=request.user, certificate=certificate, reason=payload.reason
    )
