from autogen_agentchat.agents import AssistantAgent
from autogen_agentchat.teams import Swarm
from autogen_ext.models.openai import OpenAIChatCompletionClient

client = OpenAIChatCompletionClient(model="gpt-4o-mini")

planner = AssistantAgent(
    "planner",
    model_client=client,
    handoffs=["flights", "hotels"],
    system_message="Plan the trip and hand off to specialists.",
)
flights = AssistantAgent("flights", model_client=client, handoffs=["planner"],
                         system_message="Find flights, then hand back to planner.")
hotels = AssistantAgent("hotels", model_client=client, handoffs=["planner"],
                        system_message="Find hotels, then hand back to planner.")

team = Swarm([planner, flights, hotels])


async def plan(task: str):
    result = await team.run(task=task)
    return result.messages[-1].content
