from autogen_agentchat.agents import AssistantAgent
from autogen_agentchat.teams import RoundRobinGroupChat
from autogen_ext.models.openai import OpenAIChatCompletionClient


class Brainstorm:
    def __init__(self, model="gpt-4o-mini"):
        self.client = OpenAIChatCompletionClient(model=model)
        self.ideas = AssistantAgent("ideas", model_client=self.client, system_message="Suggest product ideas.")
        self.critic = AssistantAgent("critic", model_client=self.client, system_message="Critique each idea.")
        self.team = RoundRobinGroupChat([self.ideas, self.critic])

    async def run(self, topic: str):
        return await self.team.run(task=f"Brainstorm about {topic}")
