import os

from autogen_agentchat.agents import AssistantAgent
from autogen_agentchat.conditions import MaxMessageTermination, TextMentionTermination
from autogen_agentchat.teams import RoundRobinGroupChat
from autogen_ext.models.openai import AzureOpenAIChatCompletionClient


class ReviewService:
    def __init__(self):
        self.client = AzureOpenAIChatCompletionClient(
            azure_deployment=os.environ["AZURE_DEPLOYMENT"],
            model="gpt-4o",
            api_version="2024-06-01",
            azure_endpoint=os.environ["AZURE_OPENAI_ENDPOINT"],
            api_key=os.environ["AZURE_OPENAI_API_KEY"],
            max_retries=3,
        )
        self.termination = TextMentionTermination("APPROVE") | MaxMessageTermination(max_messages=10)
        self.writer = AssistantAgent("writer", model_client=self.client)
        self.reviewer = AssistantAgent("reviewer", model_client=self.client, system_message="Say APPROVE when done.")
        self.team = RoundRobinGroupChat([self.writer, self.reviewer], termination_condition=self.termination)

    async def review(self, text: str):
        await self.team.reset()
        return await self.team.run(task=text)
