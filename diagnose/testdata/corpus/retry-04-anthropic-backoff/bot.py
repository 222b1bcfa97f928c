import asyncio
import backoff
from autogen_agentchat.agents import AssistantAgent
from autogen_ext.models.anthropic import AnthropicChatCompletionClient

claude = AnthropicChatCompletionClient(model="claude-3-5-sonnet-20241022", max_retries=8)
agent = AssistantAgent("support_bot", model_client=claude,
                       system_message="Answer support tickets briefly.")


@backoff.on_exception(backoff.constant, Exception, max_tries=10, interval=1)
async def reply(ticket_text: str) -> str:
    result = await agent.run(task=ticket_text)
    return result.messages[-1].content
