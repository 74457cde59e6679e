"""Demo self-service for the `enterprise` account (Qingdao) and the `city` official: an
insured roster, roster changes waiting for the bureau (one for a person still insured by
another Qingdao enterprise), a headcount correction and an address change waiting, a size
change the bureau refused; a self-assessment with an official checklist; premiums paid; the
floating rate of Qingdao for the year before last (reviewed, what the enterprise reads) and for
last year (to review).

It runs after the accounts (ORDER 90) and the recognition demo, since their people act here.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from yufang import policy
from yufang.accounts.models import User
from yufang.enterprises.models import Enterprise, InsuredHeadcount
from yufang.enterprises.services import headcount_set
from yufang.hazards.models import Checklist
from yufang.lib.identifiers import id_number_check_character, mask_id_number
from yufang.lib.protected import id_number_digest
from yufang.portal import services
from yufang.portal.models import InsuredPerson, PremiumPaid
from yufang.regions.models import Region
from yufang.support.demo import DemoContext

ORDER = 97
NAMES = ["王海涛", "李秀英", "张建国", "刘芳", "陈志强", "杨丽", "赵磊", "黄敏", "周军", "吴静"]
# An average insured wage for the demo's premiums (yuan a year): an illustration, not a rule.
DEMO_WAGE = Decimal(72000)


def _id_number(n: int) -> str:
    body = f"370211198{n % 10}0{(n % 9) + 1}1{n % 10}{n % 1000:03d}"[:17]
    return body + id_number_check_character(body)


def seed(ctx: DemoContext) -> None:
    manager = User.objects.filter(username="enterprise").first()
    city = User.objects.filter(username="city").first()
    if manager is None or city is None or manager.enterprise is None:
        ctx.log.write("portal: demo accounts missing, skipped\n")
        return
    enterprise = manager.enterprise
    today = timezone.localdate()
    qingdao = Region.objects.get(pk=enterprise.city_id)
    if not InsuredHeadcount.objects.filter(enterprise=enterprise, year=today.year).exists():
        headcount_set(actor=city, enterprise=enterprise, year=today.year, insured_headcount=180)

    # The roster the bureau approved earlier (seed data: written directly).
    InsuredPerson.objects.bulk_create(
        [
            InsuredPerson(
                enterprise=enterprise,
                person_name=name,
                id_digest=id_number_digest(_id_number(i)),
                id_masked=mask_id_number(_id_number(i)),
                insured_from=today.replace(month=1, day=1),
            )
            for i, name in enumerate(NAMES[:6])
        ]
    )
    # A person still on another Qingdao enterprise's roster.
    other = Enterprise.objects.filter(city=qingdao).exclude(pk=enterprise.pk).first()
    if other is not None:
        InsuredPerson.objects.create(
            enterprise=other,
            person_name="孙立新",
            id_digest=id_number_digest(_id_number(77)),
            id_masked=mask_id_number(_id_number(77)),
            insured_from=today.replace(month=1, day=1),
        )
    services.roster_changes_submit_many(
        actor=manager,
        enterprise=enterprise,
        rows=[
            services.RosterInput("add", NAMES[6], _id_number(6)),
            services.RosterInput("add", NAMES[7], _id_number(7)),
            services.RosterInput("add", "孙立新", _id_number(77)),
            services.RosterInput("remove", NAMES[0], _id_number(0)),
        ],
        source="file",
    )
    services.change_request_submit(
        actor=manager,
        enterprise=enterprise,
        field="insured_headcount",
        requested_value=str(
            InsuredHeadcount.objects.get(enterprise=enterprise, year=today.year).insured_headcount
            + 12
        ),
        headcount_year=str(today.year),
        reason="11月新招聘12名一线员工，已在社保经办机构办理增员，系统参保人数未更新。",
    )
    services.change_request_submit(
        actor=manager,
        enterprise=enterprise,
        field="address",
        requested_value=f"{enterprise.address or '青岛市黄岛区'}（新厂区）",
        reason="企业已迁入新厂区，营业执照地址已变更。",
    )
    refused = services.change_request_submit(
        actor=manager,
        enterprise=enterprise,
        field="size",
        requested_value="micro" if enterprise.size != "micro" else "small",
        reason="员工减少，申请调整企业规模。",
    )
    services.change_request_decide(
        actor=city,
        request=refused,
        approve=False,
        note="企业规模按营业收入和从业人员核定，请补充财务报表。",
    )

    # A self-assessment with the fire-safety checklist, two items not in order.
    checklist = Checklist.objects.order_by("key", "-version").first()
    if checklist is not None:
        numbers = list(checklist.items.order_by("number").values_list("number", flat=True))
        answers = {str(n): "pass" for n in numbers}
        for n in numbers[:2]:
            answers[str(n)] = "fail"
        services.self_assessment_record(
            actor=manager,
            enterprise=enterprise,
            checklist=checklist,
            answers=answers,
            notes={str(numbers[0]): "下周前整改"},
        )

    # Premiums paid by Qingdao's enterprises in the last two years: headcount × wage × the
    # class's base rate, so the payout ratios are plausible.
    years = (today.year - 2, today.year - 1)
    base_rates = policy.value("floating_rate_base_rates", today)
    rows = []
    for e_id, year, insured, risk_class in InsuredHeadcount.objects.filter(
        enterprise__city=qingdao, year__in=years, enterprise__risk_class__isnull=False
    ).values_list("enterprise_id", "year", "insured_headcount", "enterprise__risk_class"):
        rate = Decimal(str(base_rates[str(risk_class)])) / 100
        rows.append(
            PremiumPaid(
                enterprise_id=e_id,
                year=year,
                amount=(insured * DEMO_WAGE * rate).quantize(Decimal("0.01")),
            )
        )
    PremiumPaid.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    earlier = services.floating_rates_run(actor=city, region=qingdao, year=years[0])
    services.floating_rate_run_review(actor=city, run=earlier)
    services.floating_rates_run(actor=city, region=qingdao, year=years[1])
    ctx.log.write("portal: roster, requests, premiums and two floating-rate runs for Qingdao\n")
