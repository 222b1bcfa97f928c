from autogen_agentchat.agents import AssistantAgent
from autogen_agentchat.conditions import HandoffTermination, TextMentionTermination, MaxMessageTermination
from autogen_agentchat.messages import HandoffMessage
from autogen_agentchat.teams import Swarm
from autogen_agentchat.ui import Console
from autogen_ext.models.openai import OpenAIChatCompletionClient

client = OpenAIChatCompletionClient(model="gpt-4o")


def refund_flight(flight_id: str) -> str:
    """Refund a flight."""
    return f"Flight {flight_id} refunded"


travel_agent = AssistantAgent("travel_agent", model_client=client,
    handoffs=["flights_refunder", "user"],
    system_message="Use TERMINATE when the travel planning is complete.")
flights_refunder = AssistantAgent("flights_refunder", model_client=client,
    handoffs=["travel_agent", "user"], tools=[refund_flight],
    system_message="Refund flights. Hand off to the user when you need their input.")

termination = HandoffTermination(target="user") | TextMentionTermination("TERMINATE") | MaxMessageTermination(30)
team = Swarm([travel_agent, flights_refunder], termination_condition=termination)


async def run_team_stream(task: str) -> None:
    result = await Console(team.run_stream(task=task))
    while isinstance(result.messages[-1], HandoffMessage) and result.messages[-1].target == "user":
        answer = input("User: ")
        result = await Console(team.run_stream(task=HandoffMessage(source="user", target=result.messages[-1].source, content=answer)))
