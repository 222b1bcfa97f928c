import pandas as pd
from autogen_agentchat.agents import AssistantAgent
from autogen_ext.models.openai import OpenAIChatCompletionClient

df = pd.read_csv("sales.csv")


def all_sales() -> list:
    """Every sale as records."""
    return df.to_dict(orient="records")  # want RLD4001 "tool all_sales returns a whole data frame \(df.to_dict\(\)\)"


def sales_by_region() -> str:
    """Totals by region: one row per region."""
    return df.groupby("region")["amount"].sum().to_string()


def stats() -> str:
    """Summary statistics."""
    return df.describe().to_markdown()


def first_rows() -> list:
    """A preview."""
    return df.head(20).to_dict(orient="records")


def preview() -> str:
    """pandas truncates str(df) to its display limits."""
    return str(df)


class Settings:
    def to_dict(self):
        return {"currency": "EUR"}


settings = Settings()


def current_settings() -> dict:
    """A small object's to_dict is not a data frame."""
    return settings.to_dict()


agent = AssistantAgent(
    "analyst",
    model_client=OpenAIChatCompletionClient(model="gpt-4o"),
    tools=[all_sales, sales_by_region, stats, first_rows, current_settings, preview],
)
