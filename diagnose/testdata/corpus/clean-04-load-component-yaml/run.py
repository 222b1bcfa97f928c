import asyncio

import yaml
from autogen_agentchat.agents import AssistantAgent
from autogen_agentchat.teams import RoundRobinGroupChat
from autogen_core.models import ChatCompletionClient


async def main():
    with open("model_config.yaml") as f:
        model_config = yaml.safe_load(f)
    model_client = ChatCompletionClient.load_component(model_config)
    writer = AssistantAgent("writer", model_client=model_client)
    editor = AssistantAgent("editor", model_client=model_client)
    team = RoundRobinGroupChat([writer, editor], max_turns=4)
    result = await team.run(task="Write a haiku about autumn leaves.")
    print(result.messages[-1].content)
    await model_client.close()


asyncio.run(main())
