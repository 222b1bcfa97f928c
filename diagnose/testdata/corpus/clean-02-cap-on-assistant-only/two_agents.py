import os
import autogen

llm_config = {"config_list": [{"model": "gpt-4o", "api_key": os.environ.get("OPENAI_API_KEY")}]}

cathy = autogen.ConversableAgent(
    "cathy",
    system_message="Your name is Cathy and you are a part of a duo of comedians.",
    llm_config=llm_config,
    human_input_mode="NEVER",
    max_consecutive_auto_reply=4,
)

joe = autogen.ConversableAgent(
    "joe",
    system_message="Your name is Joe and you are a part of a duo of comedians.",
    llm_config=llm_config,
    human_input_mode="NEVER",
    is_termination_msg=lambda msg: "good bye" in (msg["content"] or "").lower(),
)

result = joe.initiate_chat(cathy, message="Cathy, tell me a joke.")
print(result.summary)
