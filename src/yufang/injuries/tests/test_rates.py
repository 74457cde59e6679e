"""The arithmetic behind every figure: exact Poisson intervals and shrinkage (no database)."""

from __future__ import annotations

import pytest

from yufang.lib import rates


@pytest.mark.parametrize(
    ("count", "low", "high"),
    [
        # Published exact (Garwood) 95% limits, e.g. Ulm 1990 / chi-square tables.
        (0, 0.0, 3.6889),
        (1, 0.0253, 5.5716),
        (5, 1.6235, 11.6683),
        (10, 4.7954, 18.3904),
        (100, 81.3639, 121.6269),
    ],
)
def test_poisson_interval_matches_the_exact_garwood_limits(count, low, high):
    got_low, got_high = rates.poisson_interval(count)
    assert got_low == pytest.approx(low, abs=1e-3)
    assert got_high == pytest.approx(high, abs=1e-3)


def test_gamma_p_is_the_regularized_lower_incomplete_gamma():
    # P(1, x) = 1 - exp(-x)
    assert rates.gamma_p(1.0, 2.0) == pytest.approx(1 - 2.718281828459045**-2)
    assert rates.gamma_p(3.0, 0.0) == 0.0


def test_injury_rate_per_thousand_with_its_interval():
    r = rates.rate(12, 4000, rates.PER_THOUSAND)
    assert r.value == pytest.approx(3.0)
    assert r.low is not None and r.high is not None
    assert r.low < 3.0 < r.high


def test_osha_and_ltifr_reproduce_the_published_examples():
    # 22 DART cases in 645,089 hours -> 6.8; 6 LTIs in 2.5 M hours -> 2.4 (domain.md §5).
    assert rates.rate(22, 645_089, rates.OSHA_HOURS).value == pytest.approx(6.82, abs=0.01)
    assert rates.rate(6, 2_500_000, rates.LTIFR_HOURS).value == pytest.approx(2.4)


def test_a_rate_without_exposure_is_none_not_zero():
    r = rates.rate(3, 0, rates.PER_THOUSAND)
    assert r.value is None and r.low is None


def test_shrinkage_keeps_a_tiny_firm_near_its_industry_and_a_large_one_near_itself():
    # 40 firms of 100 insured with 1 case each, one 3-person firm with 1 case, one large
    # firm of 5,000 with 60 cases.
    counts = [1] * 40 + [1, 60]
    exposures = [100.0] * 40 + [3.0, 5000.0]
    prior = rates.eb_prior(counts, exposures)
    assert prior is not None
    tiny = rates.eb_rate(1, 3.0, prior)
    large = rates.eb_rate(60, 5000.0, prior)
    assert abs(tiny - prior.mean) < abs(1 / 3 - prior.mean) / 10
    assert large == pytest.approx(60 / 5000, rel=0.3)
    assert large > tiny


def test_percent_change():
    assert rates.percent_change(2.0, 1.6) == pytest.approx(-20.0)
    assert rates.percent_change(None, 1.0) is None
