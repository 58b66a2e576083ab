"""Access table of the labour-law calculators (overtime, probation, annual leave,
economic compensation): pages and API. Any member of a company may use them: everyone checks
their own figures, and they store nothing. The API answers POST only; the pages are read (GET)
and posted (POST)."""

from tandem.core.access_table import EVERYONE

ACCESS: dict = {
    "/api/v1/calculators/overtime-pay/": {"POST": EVERYONE},
    "/api/v1/calculators/probation/": {"POST": EVERYONE},
    "/api/v1/calculators/annual-leave/": {"POST": EVERYONE},
    "/api/v1/calculators/economic-compensation/": {"POST": EVERYONE},
    "/pay/calculators/overtime/": {"GET": EVERYONE, "POST": EVERYONE},
    "/pay/calculators/probation/": {"GET": EVERYONE, "POST": EVERYONE},
    "/pay/calculators/annual-leave/": {"GET": EVERYONE, "POST": EVERYONE},
    "/pay/calculators/economic-compensation/": {"GET": EVERYONE, "POST": EVERYONE},
}
