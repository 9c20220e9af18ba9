import type { CodeSignature } from '@gaugenn/core';

/** A cloud ML API: `kind` is always `cloud` and `service` names it. */
type CloudApi = Omit<CodeSignature, 'kind' | 'service'> & { service: string };

/**
 * Cloud ML APIs an app calls, as client SDK classes in its DEX. Each entry names the SDK (Maven artifact or
 * repository) its classes come from. Only remote inference services: ML Kit's on-device APIs, TFLite and
 * friends are frameworks, catalogued by their plugins. Config and other plugins extend this list through
 * `gauge.addCodeSignatures`; an entry with the same `id` adds evidence to the existing one.
 */
const apis: CloudApi[] = [
  // --- Google Cloud ---
  // com.google.cloud:google-cloud-vision (gRPC client) and com.google.apis:google-api-services-vision (REST).
  { id: 'cloud.google.vision', service: 'Google Cloud Vision', classes: ['com.google.cloud.vision.v1.ImageAnnotatorClient', 'com.google.cloud.vision.*', 'com.google.api.services.vision.*'] },
  // com.google.cloud:google-cloud-speech; google-api-services-speech.
  { id: 'cloud.google.speech', service: 'Google Cloud Speech-to-Text', classes: ['com.google.cloud.speech.*', 'com.google.api.services.speech.*'] },
  // com.google.cloud:google-cloud-texttospeech; google-api-services-texttospeech.
  { id: 'cloud.google.texttospeech', service: 'Google Cloud Text-to-Speech', classes: ['com.google.cloud.texttospeech.*', 'com.google.api.services.texttospeech.*'] },
  // com.google.cloud:google-cloud-language; google-api-services-language.
  { id: 'cloud.google.language', service: 'Google Cloud Natural Language', classes: ['com.google.cloud.language.*', 'com.google.api.services.language.*'] },
  // com.google.cloud:google-cloud-translate (v2 Translate and v3 TranslationServiceClient); google-api-services-translate.
  { id: 'cloud.google.translate', service: 'Google Cloud Translation', classes: ['com.google.cloud.translate.*', 'com.google.api.services.translate.*'] },
  // com.google.cloud:google-cloud-dialogflow; google-api-services-dialogflow.
  { id: 'cloud.google.dialogflow', service: 'Google Dialogflow', classes: ['com.google.cloud.dialogflow.*', 'com.google.api.services.dialogflow.*'] },
  // com.google.cloud:google-cloud-videointelligence, -documentai, -automl.
  { id: 'cloud.google.videointelligence', service: 'Google Cloud Video Intelligence', classes: ['com.google.cloud.videointelligence.*'] },
  { id: 'cloud.google.documentai', service: 'Google Document AI', classes: ['com.google.cloud.documentai.*'] },
  { id: 'cloud.google.automl', service: 'Google Cloud AutoML', classes: ['com.google.cloud.automl.*'] },
  // com.google.cloud:google-cloud-aiplatform (PredictionServiceClient) and google-cloud-vertexai (VertexAI, GenerativeModel).
  { id: 'cloud.google.vertexai', service: 'Google Vertex AI', classes: ['com.google.cloud.vertexai.*', 'com.google.cloud.aiplatform.*'] },
  // com.google.ai.client.generativeai:generativeai: the Google AI (Gemini API) client SDK for Android.
  { id: 'cloud.google.gemini', service: 'Google Gemini API (Google AI client SDK)', classes: ['com.google.ai.client.generativeai.*', 'com.google.genai.*'] },
  // com.google.firebase:firebase-vertexai and firebase-ai (Firebase AI Logic): Gemini and Imagen through Firebase.
  { id: 'cloud.firebase.vertexai', service: 'Firebase Vertex AI / AI Logic (Gemini)', classes: ['com.google.firebase.vertexai.*', 'com.google.firebase.ai.*'] },
  // com.google.firebase:firebase-ml-vision: ML Kit for Firebase's cloud detectors (Cloud Vision behind Firebase).
  {
    id: 'cloud.firebase.mlvision',
    service: 'ML Kit for Firebase cloud vision',
    classes: [
      'com.google.firebase.ml.vision.cloud.*',
      'com.google.firebase.ml.vision.text.FirebaseVisionCloudTextRecognizerOptions',
      'com.google.firebase.ml.vision.document.FirebaseVisionCloudDocumentRecognizerOptions',
      'com.google.firebase.ml.vision.document.FirebaseVisionDocumentTextRecognizer',
      'com.google.firebase.ml.vision.label.FirebaseVisionCloudImageLabelerOptions',
    ],
    methods: [
      'com.google.firebase.ml.vision.FirebaseVision.getCloudTextRecognizer',
      'com.google.firebase.ml.vision.FirebaseVision.getCloudDocumentTextRecognizer',
      'com.google.firebase.ml.vision.FirebaseVision.getCloudImageLabeler',
      'com.google.firebase.ml.vision.FirebaseVision.getVisionCloudLandmarkDetector',
      'com.google.firebase.ml.vision.FirebaseVision.getVisionCloudTextDetector',
      'com.google.firebase.ml.vision.FirebaseVision.getVisionCloudLabelDetector',
    ],
  },

  // --- Amazon Web Services ---
  // AWS SDK for Android (com.amazonaws:aws-android-sdk-*), AWS SDK for Java v2 (software.amazon.awssdk:*) and
  // AWS SDK for Kotlin (aws.sdk.kotlin:*): one entry per service, all three SDKs.
  { id: 'cloud.aws.rekognition', service: 'Amazon Rekognition', classes: ['com.amazonaws.services.rekognition.*', 'software.amazon.awssdk.services.rekognition.*', 'aws.sdk.kotlin.services.rekognition.*'] },
  { id: 'cloud.aws.polly', service: 'Amazon Polly', classes: ['com.amazonaws.services.polly.*', 'software.amazon.awssdk.services.polly.*', 'aws.sdk.kotlin.services.polly.*'] },
  { id: 'cloud.aws.transcribe', service: 'Amazon Transcribe', classes: ['com.amazonaws.services.transcribe.*', 'software.amazon.awssdk.services.transcribe.*', 'software.amazon.awssdk.services.transcribestreaming.*', 'aws.sdk.kotlin.services.transcribe.*', 'aws.sdk.kotlin.services.transcribestreaming.*'] },
  { id: 'cloud.aws.comprehend', service: 'Amazon Comprehend', classes: ['com.amazonaws.services.comprehend.*', 'software.amazon.awssdk.services.comprehend.*', 'aws.sdk.kotlin.services.comprehend.*'] },
  { id: 'cloud.aws.translate', service: 'Amazon Translate', classes: ['com.amazonaws.services.translate.*', 'software.amazon.awssdk.services.translate.*', 'aws.sdk.kotlin.services.translate.*'] },
  { id: 'cloud.aws.textract', service: 'Amazon Textract', classes: ['com.amazonaws.services.textract.*', 'software.amazon.awssdk.services.textract.*', 'aws.sdk.kotlin.services.textract.*'] },
  // Lex runtime, and the Android SDK's Lex interaction kit (com.amazonaws.mobileconnectors.lex).
  { id: 'cloud.aws.lex', service: 'Amazon Lex', classes: ['com.amazonaws.services.lexrts.*', 'com.amazonaws.mobileconnectors.lex.*', 'software.amazon.awssdk.services.lexruntime.*', 'software.amazon.awssdk.services.lexruntimev2.*', 'aws.sdk.kotlin.services.lexruntimev2.*'] },
  { id: 'cloud.aws.bedrock', service: 'Amazon Bedrock', classes: ['software.amazon.awssdk.services.bedrockruntime.*', 'aws.sdk.kotlin.services.bedrockruntime.*'] },
  { id: 'cloud.aws.sagemaker', service: 'Amazon SageMaker Runtime', classes: ['com.amazonaws.services.sagemakerruntime.*', 'software.amazon.awssdk.services.sagemakerruntime.*', 'aws.sdk.kotlin.services.sagemakerruntime.*'] },
  // com.amplifyframework:aws-predictions: Amplify's Predictions category (Rekognition, Textract, Polly… behind it).
  { id: 'cloud.aws.amplify-predictions', service: 'AWS Amplify Predictions', classes: ['com.amplifyframework.predictions.aws.*'] },

  // --- Microsoft Azure ---
  // com.microsoft.cognitiveservices.speech:client-sdk. The same SDK also runs embedded (on-device) models, so only
  // the factory methods that bind it to a cloud subscription, endpoint or host count.
  {
    id: 'cloud.azure.speech',
    service: 'Azure AI Speech',
    methods: [
      'com.microsoft.cognitiveservices.speech.SpeechConfig.fromSubscription',
      'com.microsoft.cognitiveservices.speech.SpeechConfig.fromEndpoint',
      'com.microsoft.cognitiveservices.speech.SpeechConfig.fromHost',
      'com.microsoft.cognitiveservices.speech.SpeechConfig.fromAuthorizationToken',
      'com.microsoft.cognitiveservices.speech.SpeechTranslationConfig.fromSubscription',
      'com.microsoft.cognitiveservices.speech.SpeechTranslationConfig.fromEndpoint',
    ],
  },
  // Project Oxford Android client libraries (Face, Vision, Emotion, Speaker Recognition): the old Cognitive Services.
  { id: 'cloud.azure.projectoxford', service: 'Microsoft Cognitive Services (Project Oxford)', classes: ['com.microsoft.projectoxford.*'] },
  // Older Azure Cognitive Services Java SDKs (com.microsoft.azure.cognitiveservices:*).
  { id: 'cloud.azure.cognitiveservices', service: 'Azure Cognitive Services', classes: ['com.microsoft.azure.cognitiveservices.*'] },
  // Azure SDK for Java, AI packages (com.azure:azure-ai-openai, -textanalytics, -formrecognizer, -vision-face, -translation-text…).
  { id: 'cloud.azure.ai', service: 'Azure AI services', classes: ['com.azure.ai.*'] },

  // --- Others ---
  // com.ibm.watson:* (java-sdk ≥ 7) and com.ibm.watson.developer_cloud:* (older, and its Android library).
  { id: 'cloud.ibm.watson', service: 'IBM Watson', classes: ['com.ibm.watson.*'] },
  // Clarifai: clarifai-java v2 (clarifai2.*), the first Java client (com.clarifai.api), and the gRPC client (com.clarifai.grpc / channel).
  { id: 'cloud.clarifai', service: 'Clarifai', classes: ['clarifai2.api.*', 'com.clarifai.api.*', 'com.clarifai.grpc.*', 'com.clarifai.channel.*'] },
  // Baidu AI Open Platform: com.baidu.aip:java-sdk (AipOcr, AipFace, AipSpeech, AipNlp…) and the Android OCR SDK.
  { id: 'cloud.baidu.ai', service: 'Baidu AI Open Platform', classes: ['com.baidu.aip.*', 'com.baidu.ocr.sdk.*'] },
  // Face++ web API clients (com.megvii.facepp.api, FacePPApi and its beans). Megvii's on-device SDKs
  // (com.megvii.facepp.sdk, livenessdetection) are not cloud and are not here.
  { id: 'cloud.megvii.facepp', service: 'Face++ (Megvii) cloud API', classes: ['com.megvii.facepp.api.*'] },
  // Alibaba Cloud: DashScope (Qwen) SDK and the Vision Intelligence clients (facebody, ocr, imagerecog…).
  { id: 'cloud.alibaba.dashscope', service: 'Alibaba Cloud DashScope (Qwen)', classes: ['com.alibaba.dashscope.*'] },
  { id: 'cloud.alibaba.viapi', service: 'Alibaba Cloud Vision Intelligence', classes: ['com.aliyun.facebody20191230.*', 'com.aliyun.ocr20191230.*', 'com.aliyun.ocr_api20210707.*', 'com.aliyun.imagerecog20190930.*', 'com.aliyun.objectdet20191230.*'] },
  // Tencent Cloud API SDK (com.tencentcloudapi:tencentcloud-sdk-java): OCR, face (iai), ASR, TTS, machine translation, NLP, Hunyuan.
  {
    id: 'cloud.tencent.ai',
    service: 'Tencent Cloud AI',
    classes: ['com.tencentcloudapi.ocr.*', 'com.tencentcloudapi.iai.*', 'com.tencentcloudapi.asr.*', 'com.tencentcloudapi.tts.*', 'com.tencentcloudapi.tmt.*', 'com.tencentcloudapi.nlp.*', 'com.tencentcloudapi.hunyuan.*', 'com.tencentcloudapi.tiia.*'],
  },
  // OpenAI clients: the official openai-java (com.openai), openai-kotlin (com.aallam.openai), TheoKanning's openai-java.
  { id: 'cloud.openai', service: 'OpenAI API', classes: ['com.openai.client.*', 'com.aallam.openai.client.*', 'com.theokanning.openai.*'] },
  // The official anthropic-java SDK.
  { id: 'cloud.anthropic', service: 'Anthropic API', classes: ['com.anthropic.client.*'] },
];

/** The cloud ML API catalogue plugin-android contributes to `gauge.codeSignatures`. */
export const cloudApiSignatures: CodeSignature[] = apis.map((a) => ({ ...a, kind: 'cloud' }));

/** JSON Schema of one {@link CodeSignature}, for `plugins.android.codeSignatures` in gaugenn.config. */
export const codeSignatureSchema = {
  type: 'object',
  required: ['id', 'kind'],
  properties: {
    id: { type: 'string', minLength: 1 },
    kind: { enum: ['framework', 'delegate', 'cloud', 'other'] },
    framework: { type: 'string' },
    service: { type: 'string' },
    classes: { type: 'array', items: { type: 'string', pattern: '^[^*]+(\\.\\*)?$' } },
    methods: { type: 'array', items: { type: 'string', pattern: '^[^*]+\\.[^.*]+$' } },
  },
  additionalProperties: false,
} as const;
