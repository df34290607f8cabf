"""Resident parking permit lookup for the Eastgate Borough Council website.

FastAPI service behind the council's web front end (uvicorn, two workers on the council's
Kubernetes cluster). GET /permits/{plate} tells a resident whether a plate has a valid permit
and for which zone; GET /zones/{code}/permits lets a warden's handheld list the permits of a
zone page by page (the handheld keeps `page` and `updated_since` itself and sends them back).
Read-only: the permit tables are written by the licensing system, not by this service.
"""

from datetime import date, datetime
from functools import lru_cache
from typing import AsyncIterator

from fastapi import Depends, FastAPI, HTTPException, Query
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from permits.models import Permit, Zone
from permits.settings import settings

engine = create_async_engine(settings.database_url, pool_size=5, pool_pre_ping=True)
Session = async_sessionmaker(engine, expire_on_commit=False)
app = FastAPI(title="Parking permit lookup")


async def db() -> AsyncIterator[AsyncSession]:
    async with Session() as session:
        yield session


def normalise_plate(raw: str) -> str:
    return "".join(ch for ch in raw.upper() if ch.isalnum())


@lru_cache(maxsize=64)
def zone_label(code: str, name: str) -> str:
    return f"Zone {code} ({name})"


@app.get("/permits/{plate}")
async def permit_for_plate(plate: str, session: AsyncSession = Depends(db)) -> dict:
    row = (await session.execute(
        select(Permit, Zone)
        .join(Zone, Permit.zone_code == Zone.code)
        .where(Permit.plate == normalise_plate(plate))
        .order_by(Permit.valid_to.desc())
        .limit(1)
    )).first()
    if row is None:
        raise HTTPException(status_code=404, detail="No permit for this plate")
    permit, zone = row
    return {
        "plate": permit.plate,
        "zone": zone_label(zone.code, zone.name),
        "valid": permit.valid_from <= date.today() <= permit.valid_to,
        "valid_to": permit.valid_to.isoformat(),
    }


@app.get("/zones/{code}/permits")
async def zone_permits(
    code: str,
    page: int = Query(1, ge=1),
    per_page: int = Query(200, ge=1, le=500),
    updated_since: datetime | None = None,
    session: AsyncSession = Depends(db),
) -> dict:
    query = select(Permit).where(Permit.zone_code == code, Permit.valid_to >= date.today())
    if updated_since is not None:
        query = query.where(Permit.updated_at > updated_since)
    rows = (await session.scalars(
        query.order_by(Permit.id).offset((page - 1) * per_page).limit(per_page + 1)
    )).all()
    return {
        "zone": code,
        "permits": [{"plate": p.plate, "valid_to": p.valid_to.isoformat()} for p in rows[:per_page]],
        "next_page": page + 1 if len(rows) > per_page else None,
    }
