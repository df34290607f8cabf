# %% [markdown]
# # Q3 NPS survey: who are the detractors?
# Exploratory analysis, exported from a notebook. Run by hand on the survey export:
#     python nps_analysis.py exports/nps_2025_q3.csv
# Writes charts to ./out and prints the tables pasted into the quarterly review doc.

# %%
import sys
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

csv_path = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("nps_export.csv")
out = Path("out")
out.mkdir(exist_ok=True)

df = pd.read_csv(csv_path, parse_dates=["submitted_at"])
df = df.dropna(subset=["score"]).query("0 <= score <= 10")
df["segment"] = pd.cut(df["score"], bins=[-1, 6, 8, 10], labels=["detractor", "passive", "promoter"])
print(f"{len(df)} responses from {df['account_id'].nunique()} accounts")


# %%
def nps(scores: pd.Series) -> float:
    return round(100 * ((scores >= 9).mean() - (scores <= 6).mean()), 1)


by_plan = df.groupby("plan")["score"].agg(responses="count", nps=nps).sort_values("nps")
print(by_plan.to_string())

# %%
weekly = df.set_index("submitted_at").resample("W")["score"].apply(nps)
ax = weekly.plot(marker="o", title=f"Weekly NPS - {csv_path.stem}")
ax.axhline(0, color="grey", linewidth=0.5)
plt.tight_layout()
plt.savefig(out / "weekly_nps.png", dpi=150)
plt.close()

# %%
detractors = df[df["segment"] == "detractor"]
themes = (
    detractors["comment"].fillna("").str.lower()
    .str.extractall(r"(onboarding|pricing|support|slow|bug|export|sso)")[0]
    .value_counts()
)
print(themes.head(10).to_string())

# %%
at_risk = (
    detractors.groupby(["account_id", "account_name"])
    .agg(responses=("score", "size"), avg_score=("score", "mean"), arr=("arr_usd", "max"))
    .sort_values("arr", ascending=False)
    .head(15)
)
at_risk.to_csv(out / "at_risk_accounts.csv")
print(at_risk)
