import asyncio
import tempfile

from autogen_agentchat.agents import AssistantAgent
from autogen_agentchat.conditions import TextMessageTermination
from autogen_ext.cache_store.diskcache import DiskCacheStore
from autogen_ext.models.cache import CHAT_CACHE_VALUE_TYPE, ChatCompletionCache
from autogen_ext.models.openai import OpenAIChatCompletionClient
from diskcache import Cache


async def get_weather(city: str) -> str:
    """Get the weather for a city."""
    return f"The weather in {city} is 73 degrees and Sunny."


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmpdirname:
        openai_model_client = OpenAIChatCompletionClient(model="gpt-4o", max_retries=5, timeout=60)
        cache_store = DiskCacheStore[CHAT_CACHE_VALUE_TYPE](Cache(tmpdirname))
        cache_client = ChatCompletionCache(openai_model_client, cache_store)

        agent = AssistantAgent(
            name="weather_agent",
            model_client=cache_client,
            tools=[get_weather],
            reflect_on_tool_use=True,
            max_tool_iterations=3,
        )
        result = await agent.run(task="What is the weather in New York?")
        print(result.messages[-1].content)
        await openai_model_client.close()


asyncio.run(main())
