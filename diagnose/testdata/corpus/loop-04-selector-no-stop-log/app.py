from autogen_agentchat.agents import AssistantAgent
from autogen_agentchat.teams import SelectorGroupChat
from autogen_agentchat.ui import Console
from autogen_ext.models.openai import OpenAIChatCompletionClient
import asyncio

model = OpenAIChatCompletionClient(model="gpt-4o")

def lookup_stats(player: str, season: str) -> str:
    """Return a player's stats for a season."""
    return f"{player} {season}: 1397 points, 214 rebounds"

planner = AssistantAgent("PlanningAgent", model_client=model,
    description="Plans tasks and delegates them.",
    system_message="Break the task down and delegate. When everything is done, end with TERMINATE.")
searcher = AssistantAgent("WebSearchAgent", model_client=model, tools=[lookup_stats],
    description="Looks up sports statistics.")
analyst = AssistantAgent("DataAnalystAgent", model_client=model,
    description="Computes percentages from data.")

team = SelectorGroupChat([planner, searcher, analyst], model_client=model)

async def main():
    await Console(team.run_stream(task="Who scored most for the Heat in 2006-07 and how did his rebounds change?"))

asyncio.run(main())
