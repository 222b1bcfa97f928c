import os
from autogen import ConversableAgent

llm_config = {"config_list": [{"model": "gpt-4o-mini", "api_key": os.environ.get("OPENAI_API_KEY")}]}

cathy = ConversableAgent("cathy", system_message="You are a comedian. Keep jokes short.",
                         llm_config=llm_config, human_input_mode="NEVER")
joe = ConversableAgent("joe", system_message="You are a comedian. Build on the last joke.",
                       llm_config=llm_config, human_input_mode="NEVER")

result = joe.initiate_chat(cathy, message="Cathy, tell me a joke.", max_turns=3)
