from autogen_agentchat.agents import AssistantAgent
from autogen_ext.models.openai import OpenAIChatCompletionClient

agent = AssistantAgent("helper", model_client=OpenAIChatCompletionClient(model="gpt-4o-mini"))


async def by_index(tasks):
    # Walks the tasks by index; a failure skips to the next one.
    for i in range(len(tasks)):
        try:
            await agent.run(task=tasks[i])
        except Exception:
            continue


async def each(tasks):
    for task in tasks:
        try:
            await agent.run(task=task)
        except Exception as exc:
            print("failed", exc)
