from autogen import ConversableAgent, LLMConfig

llm_config = LLMConfig(api_type="openai", model="gpt-4o-mini")

with llm_config:
    planner = ConversableAgent(
        name="planner",
        system_message="You plan trips step by step.",
        human_input_mode="NEVER",
    )
    checker = ConversableAgent(
        name="checker",
        system_message="You check the plan and suggest improvements.",
        human_input_mode="NEVER",
    )

response = planner.run(checker, message="Plan a 3-day trip to Lisbon.")
response.process()
