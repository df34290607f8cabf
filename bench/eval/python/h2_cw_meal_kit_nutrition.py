"""Meal-kit menu service: per-serving nutrition facts for next week's recipes.

CodeWords FastAPI service, called (POST /) by the menu editor every time the menu team saves the
week's menu; each save re-submits every recipe. Edamam's Nutrition Analysis API is billed per call.
"""

import os

import httpx
from codewords_client import logger, run_service
from fastapi import FastAPI, HTTPException
from pydantic import BaseModel

app = FastAPI(title="Menu nutrition labels")
EDAMAM_URL = "https://api.edamam.com/api/nutrition-details"
NUTRIENTS = {
    "ENERC_KCAL": "kcal",
    "PROCNT": "protein_g",
    "FAT": "fat_g",
    "CHOCDF": "carbs_g",
    "NA": "sodium_mg",
}


class Recipe(BaseModel):
    sku: str
    title: str
    servings: int = 2
    ingredients: list[str]


class Menu(BaseModel):
    week: str  # e.g. "2025-W14"
    recipes: list[Recipe]


async def analyse(client: httpx.AsyncClient, recipe: Recipe) -> dict:
    response = await client.post(
        EDAMAM_URL,
        params={"app_id": os.environ["EDAMAM_APP_ID"], "app_key": os.environ["EDAMAM_APP_KEY"]},
        json={"title": recipe.title, "yield": str(recipe.servings), "ingr": recipe.ingredients},
    )
    if response.status_code == 555:
        raise HTTPException(422, f"{recipe.sku}: Edamam could not parse the ingredient list")
    response.raise_for_status()
    totals = response.json()["totalNutrients"]
    return {
        label: round(totals[code]["quantity"] / recipe.servings, 1)
        for code, label in NUTRIENTS.items()
        if code in totals
    }


@app.post("/")
async def nutrition_labels(menu: Menu) -> dict:
    labels = {}
    async with httpx.AsyncClient(timeout=30) as client:
        for recipe in menu.recipes:
            per_serving = await analyse(client, recipe)
            labels[recipe.sku] = {"title": recipe.title, **per_serving}
            logger.info("%s: %s kcal per serving", recipe.sku, per_serving.get("kcal"))
    return {"week": menu.week, "labels": labels}


if __name__ == "__main__":
    run_service(app)
