"""Access table of the income-tax calculators and the calculators' index (pages and API).
Any member of a company may use them: everyone checks their own figures, and they store
nothing. The API answers POST only; the pages are read (GET) and posted (POST)."""

from tandem.core.access_table import EVERYONE

ACCESS: dict = {
    "/api/v1/calculators/iit-withholding/": {"POST": EVERYONE},
    "/api/v1/calculators/annual-bonus-tax/": {"POST": EVERYONE},
    "/pay/calculators/": {"GET": EVERYONE},
    "/pay/calculators/iit/": {"GET": EVERYONE, "POST": EVERYONE},
    "/pay/calculators/annual-bonus/": {"GET": EVERYONE, "POST": EVERYONE},
}
