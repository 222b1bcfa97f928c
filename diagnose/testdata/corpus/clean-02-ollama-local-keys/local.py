from autogen import AssistantAgent, UserProxyAgent

local_llm_config = {
    "config_list": [
        {
            "model": "llama3.1:8b",
            "base_url": "http://localhost:11434/v1",
            "api_key": "ollama",
            "price": [0, 0],
        },
        {
            "model": "lmstudio-community/Meta-Llama-3-8B-Instruct-GGUF",
            "base_url": "http://localhost:1234/v1",
            "api_key": "NotRequired",
        },
        {
            "model": "mistral",
            "base_url": "http://127.0.0.1:8080/v1",
            "api_key": "sk-no-key-required",
        },
    ],
    "cache_seed": None,
}

assistant = AssistantAgent("assistant", llm_config=local_llm_config)
user_proxy = UserProxyAgent(
    "user_proxy",
    human_input_mode="NEVER",
    code_execution_config={"work_dir": "coding", "use_docker": False},
)

user_proxy.initiate_chat(assistant, message="Plot a sine wave and save it to sine.png", max_turns=3)
