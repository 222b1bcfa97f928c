import os
import autogen

llm_config = {
    "config_list": [{"model": "gpt-3.5-turbo", "api_key": os.environ["OPENAI_API_KEY"]}],
    "temperature": 0,
}

helper = autogen.AssistantAgent(
    name="helper",
    system_message="Answer questions. Reply TERMINATE when the task is done.",
    llm_config=llm_config,
)

# The user proxy answers on its own and never asks a human.
proxy = autogen.UserProxyAgent(
    name="proxy",
    human_input_mode="NEVER",
    code_execution_config={"work_dir": "coding", "use_docker": False},
)

proxy.initiate_chat(helper, message="Which city is the capital of France?")
