import asyncio

from autogen import ConversableAgent, LLMConfig

llm_config = LLMConfig(api_type="openai", model="gpt-4o-mini")
with llm_config:
    planner = ConversableAgent(name="planner", human_input_mode="NEVER")
    checker = ConversableAgent(name="checker", human_input_mode="NEVER")
    solo = ConversableAgent(name="solo", human_input_mode="NEVER")
    writer = ConversableAgent(name="writer", human_input_mode="NEVER")  # want RLD1001 "writer \(human_input_mode=\"NEVER\", no max_consecutive_auto_reply \(default 100\)\) and editor"
    editor = ConversableAgent(name="editor", human_input_mode="NEVER")

# AG2's run() with max_turns is bounded like initiate_chat(max_turns=...).
response = planner.run(checker, message="Plan a trip to Lisbon.", max_turns=3)
response.process()

# One agent answering once.
solo.run(message="What is 2+2?", max_turns=1, user_input=False).process()

# Without max_turns two NEVER agents with no check keep going.
writer.run(recipient=editor, message="Write and polish a haiku.").process()


async def main():
    res = await planner.a_run(checker, message="Again, briefly.", max_turns=2)
    await res.process()


asyncio.run(main())
