"""One-off backfill: validates the VAT numbers of existing EU customers against VIES.

Django management command (billing/management/commands/backfill_vat_validation.py), run once by
hand after deploying migration 0042, which added Company.vat_valid and Company.vat_checked_at:

    python manage.py backfill_vat_validation --batch-size 200

Companies that already have vat_checked_at set are skipped, so an interrupted run can simply be
started again. New sign-ups are validated at checkout; this command is deleted after the release.
"""

import time

import requests
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from billing.models import Company

VIES_URL = "https://ec.europa.eu/taxation_customs/vies/rest-api/ms/{country}/vat/{number}"


class Command(BaseCommand):
    help = "Validate the VAT numbers of existing companies against VIES (one-off backfill)."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=100)
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, batch_size, dry_run, **options):
        pending = Company.objects.filter(vat_number__gt="", vat_checked_at__isnull=True).order_by("pk")
        total = pending.count()
        if not total:
            raise CommandError("Nothing to backfill: every company already has vat_checked_at.")
        self.stdout.write(f"Checking {total} VAT numbers against VIES...")

        session = requests.Session()
        checked = invalid = 0
        for company in pending.iterator(chunk_size=batch_size):
            country = company.vat_number[:2].upper()
            number = company.vat_number[2:].replace(" ", "").replace(".", "")
            try:
                resp = session.get(VIES_URL.format(country=country, number=number), timeout=20)
                resp.raise_for_status()
            except requests.RequestException as exc:
                self.stderr.write(f"{company.pk} {company.vat_number}: {exc}")
                continue
            valid = bool(resp.json().get("isValid"))
            invalid += not valid
            if not dry_run:
                with transaction.atomic():
                    Company.objects.filter(pk=company.pk).update(vat_valid=valid, vat_checked_at=timezone.now())
            checked += 1
            time.sleep(0.5)  # VIES throttles bursts per member state

        verb = "Would mark" if dry_run else "Marked"
        self.stdout.write(self.style.SUCCESS(f"Checked {checked}/{total}. {verb} {invalid} as invalid."))
