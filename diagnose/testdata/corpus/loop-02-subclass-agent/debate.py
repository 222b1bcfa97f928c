import os
from autogen import ConversableAgent

LLM = {"config_list": [{"model": "gpt-4o-mini", "api_key": os.environ["OPENAI_API_KEY"]}], "cache_seed": None}


class Debater(ConversableAgent):
    def __init__(self, name, stance):
        super().__init__(
            name=name,
            system_message=f"You argue {stance}. Never concede.",
            llm_config=LLM,
            human_input_mode="NEVER",
        )


pro = Debater("pro", "for remote work")
con = Debater("con", "against remote work")

pro.initiate_chat(con, message="Remote work is better for everyone. Convince me otherwise.")
