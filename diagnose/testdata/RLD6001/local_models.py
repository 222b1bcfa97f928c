from autogen import AssistantAgent, UserProxyAgent

# Every model runs on this machine: no provider limit to spare.
local_llm_config = {
    "config_list": [
        {"model": "llama3.1:8b", "base_url": "http://localhost:11434/v1", "api_key": "ollama"},
        {"model": "phi3", "base_url": "http://127.0.0.1:1234/v1", "api_key": "NotRequired"},
    ],
    "cache_seed": None,
}

assistant = AssistantAgent("assistant", llm_config=local_llm_config)
user_proxy = UserProxyAgent("user_proxy", human_input_mode="NEVER", code_execution_config=False)
user_proxy.initiate_chat(assistant, message="Plot a sine wave", max_turns=3)
