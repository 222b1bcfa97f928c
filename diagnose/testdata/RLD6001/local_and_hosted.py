import os

from autogen import AssistantAgent, UserProxyAgent

# One entry goes to OpenAI: the cache still saves real calls there.
llm_config = {
    "config_list": [
        {"model": "llama3.1:8b", "base_url": "http://localhost:11434/v1", "api_key": "ollama"},
        {"model": "gpt-4o-mini", "api_key": os.environ["OPENAI_API_KEY"]},
    ],
    "cache_seed": None,  # want RLD6001 "turns off AutoGen's response cache"
}

assistant = AssistantAgent("assistant", llm_config=llm_config)
user_proxy = UserProxyAgent("user_proxy", human_input_mode="NEVER", code_execution_config=False)
user_proxy.initiate_chat(assistant, message="Plot a sine wave", max_turns=3)
