import os
from autogen import ConversableAgent

llm_config = {
    "config_list": [{"model": "gpt-4o-mini", "api_key": os.environ.get("OPENAI_API_KEY")}],
    "cache_seed": 42,
}

cathy = ConversableAgent(
    "cathy",
    system_message="Your name is Cathy and you are a stand-up comedian.",
    llm_config=llm_config,
    human_input_mode="NEVER",
)
joe = ConversableAgent(
    "joe",
    system_message="Your name is Joe and you are a stand-up comedian. Start the next joke from the punchline of the previous one.",
    llm_config=llm_config,
    human_input_mode="NEVER",
)

result = joe.initiate_chat(cathy, message="Cathy, tell me a joke.", max_turns=2)
print(result.summary)
